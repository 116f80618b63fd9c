#!/usr/bin/env bash
# On the device machine (as run.sh, carry [".gpu"]): GPU time per op type and the costliest kernels of one
# SmolLM2-135M-shaped train step (batch 8 x 512), JSEP build; JSON lines, also in $OUT/profile.jsonl.
#   bash bench/engine/gpu/profile.sh [config.json batch seq]      (a tiny config for a dry run on SwiftShader)
set -uo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
config=${1:-$root/bench/engine/configs/smollm2-135m.json}
source "$root/bench/engine/gpu/setup.sh"
timeout 300 node profile-webgpu.mjs "$config" "${2:-8}" "${3:-512}" 40 | tee "${OUT:-$S}/profile.jsonl"
