#!/usr/bin/env bash
# On a Linux NVIDIA machine without Node (the device machine), from the repository root, after prepare.sh ran
# here and .gpu/ travels along (run tool: carry [".gpu"]):
#   bash bench/engine/gpu/run.sh
# 1. transformers + PEFT vs our PyTorch fixtures (test/fixtures/tiny-*): logits, loss, LoRA gradients
# 2. our engine on the WebGPU EP (dawn.node, both onnxruntime-web builds) vs the same fixtures
# 3. fiat bench on SmolLM2-135M shapes, LoRA r=8 on all seven projections, batch 8 x 512, fp32, WebGPU
# 4. PyTorch + PEFT on the same shapes (fp32), and the ratio of tokens/s
# Results are printed and written to $OUT/gpu-results.jsonl when $OUT is set.
set -uo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
[ -f "$root/.gpu/pack.tar.xz" ] || { echo "no .gpu/pack.tar.xz: run bench/engine/gpu/prepare.sh first and carry .gpu" >&2; exit 1; }
for f in "$root"/.gpu/debs/*.deb; do dpkg -x "$f" / ; done; ldconfig
S=$(mktemp -d) && tar xJf "$root/.gpu/pack.tar.xz" -C "$S" && cp "$root"/.gpu/engine/*.mjs "$S/"
export PATH="$S:$PATH"
results=${OUT:-$S}/gpu-results.jsonl
: > "$results"
cd "$S"
probe() { node -e "import('./node_modules/webgpu/index.js').then(async ({create,globals})=>{Object.assign(globalThis,globals);const a=await create([]).requestAdapter();console.log(a?JSON.stringify(a.info):'none');process.exit(a?0:1)})"; }
if ! probe; then export VK_ICD_FILENAMES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json; probe || echo "WARNING: no WebGPU adapter" >&2; fi
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true
status=0
echo "== 1. transformers + PEFT vs the fixtures"
python3 "$root/bench/engine/gpu/transformers_check.py" "$root/test/fixtures" | tee -a "$results" || status=1
echo "== 2. WebGPU EP vs the fixtures"
for build in all webgpu; do timeout 300 node verify-webgpu.mjs "$root/test/fixtures" $build | tee -a "$results" || status=1; done
echo "== 3. fiat bench, SmolLM2-135M shapes, batch 8 x 512, WebGPU"
for build in all webgpu; do
  timeout 420 node fiat.mjs bench --config "$root/bench/engine/configs/smollm2-135m.json" --lora r=8,alpha=16,targets=q,k,v,o,gate,up,down \
    --batch 8 --seq 512 --ep webgpu --ort-build $build --steps 10 --warmup 3 --json | tee -a "$results" || status=1
done
echo "== 4. PyTorch + PEFT, same shapes, fp32"
python3 "$root/bench/engine/gpu/torch_lora_reference.py" --model smollm2-135m --batch 8 --seq 512 --mode fp32 | tee -a "$results" || status=1
python3 - "$results" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith('{')]
torch = next((r for r in rows if r.get('reference') == 'pytorch+peft'), None)
for r in rows:
    if 'tokensPerSecond' in r and r.get('ep', '').startswith('webgpu') and torch:
        print(f"{r['ep']}: {r['tokensPerSecond']} tok/s vs PyTorch+PEFT fp32 {torch['tokensPerSecond']} tok/s: ratio {r['tokensPerSecond'] / torch['tokensPerSecond']:.2f}")
PY
exit $status
