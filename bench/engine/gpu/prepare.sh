#!/usr/bin/env bash
# Prepares the GPU run (run.sh) on this machine: bundles the CLI and the WebGPU check into .gpu/engine/ and packs
# Node + dawn.node + onnxruntime-web's dist + the Vulkan loader .debs into .gpu/ with shared/gpu/pack.sh.
# Run from the repository root after `npm ci`:
#   bash bench/engine/gpu/prepare.sh            # SHARED_GPU=<dir of pack.sh> if not ../shared/gpu
set -euo pipefail
cd "$(dirname "$0")/../../.."
shared=${SHARED_GPU:-}
if [ -z "$shared" ]; then
  for d in ../shared/gpu ../../shared/gpu /work/shared/gpu; do [ -f "$d/pack.sh" ] && shared=$d && break; done
fi
[ -n "$shared" ] && [ -f "$shared/pack.sh" ] || { echo "pack.sh not found; set SHARED_GPU" >&2; exit 1; }
npx vite build --config bench/engine/gpu/vite.config.ts
bash "$shared/pack.sh" .gpu
du -sh .gpu .gpu/engine
