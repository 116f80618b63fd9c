#!/usr/bin/env bash
# On a Linux NVIDIA machine without Node (the device machine), from the repository root, after prepare.sh ran
# here and .gpu/ travels along (run tool: carry [".gpu"]):
#   bash bench/engine/gpu/run.sh
# 1. transformers + PEFT vs our PyTorch fixtures (test/fixtures/tiny-*): logits, loss, LoRA gradients
# 2. PyTorch + PEFT on SmolLM2-135M shapes, LoRA r=8 on all seven projections, batch 8 x 512, fp32
# 3-6. fiat bench on the same shapes on the WebGPU EP (3c, 5c: with graph capture; 3c0: no split sums; p: a kernel
#    profile of one step)
#    and our engine vs the fixtures, both onnxruntime-web builds; then the ratio of tokens/s
# Results are printed and written to $OUT/gpu-results.jsonl when $OUT is set.
set -uo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
source "$root/bench/engine/gpu/setup.sh"
results=${OUT:-$S}/gpu-results.jsonl
: > "$results"
status=0
# Ordered by what the issue needs most, so that a run cut short by the device budget still returns the figures
# that matter (every row is appended to $OUT/gpu-results.jsonl as it comes): the reference checks and PyTorch's
# throughput (fast), our bench on the studio's build (JSEP), both builds with graph capture, then the native EP's
# plain bench and the WebGPU checks.
# ONLY="2 3c" runs just those stages (ids below), e.g. to re-measure one change within the device budget.
stage() { [ -z "${ONLY:-}" ] || [[ " $ONLY " == *" $1 "* ]] || return 1; echo "== $1. $2 (at ${SECONDS}s)"; }
# BENCH_CONFIG, BENCH_BATCH, BENCH_SEQ: a smaller shape for a dry run of this script without a GPU (SwiftShader).
bench() {
  timeout 240 node fiat.mjs bench --config "${BENCH_CONFIG:-$root/bench/engine/configs/smollm2-135m.json}" \
    --lora r=8,alpha=16,targets=q,k,v,o,gate,up,down --batch "${BENCH_BATCH:-8}" --seq "${BENCH_SEQ:-512}" --ep webgpu \
    --steps 10 --warmup 3 --json "$@" | tee -a "$results" || status=1
}
# VERIFY_TIMEOUT: seconds for each fixture check (90; a dry run on SwiftShader needs ~100 for the JSEP build).
verify() { timeout "${VERIFY_TIMEOUT:-90}" node verify-webgpu.mjs "$root/test/fixtures" "$1" | tee -a "$results" || status=1; }
stage 1 "transformers + PEFT vs the fixtures" &&
  { timeout 150 python3 "$root/bench/engine/gpu/transformers_check.py" "$root/test/fixtures" | tee -a "$results" || status=1; }
stage 2 "PyTorch + PEFT, SmolLM2-135M shapes, batch 8 x 512, fp32" &&
  { timeout 150 python3 "$root/bench/engine/gpu/torch_lora_reference.py" --model smollm2-135m --batch 8 --seq 512 --mode fp32 | tee -a "$results" || status=1; }
stage 3 "fiat bench, same shapes, WebGPU EP, JSEP build (ort.all, the studio's)" && bench --ort-build all
stage 3c "the same with graph capture" && bench --ort-build all --graph-capture
stage 3c0 "the same without split sums (what ops/matmul.ts sumSplit buys)" && bench --ort-build all --graph-capture --no-sum-split
stage 5c "the same with graph capture, native WebGPU EP build (ort.webgpu)" && bench --ort-build webgpu --graph-capture
stage 3c1 "JSEP with graph capture, the loss in one chunk (whole [B,T,V] logits)" && bench --ort-build all --graph-capture --loss-chunk-mib 4096
stage p "where a step's GPU time goes: JSEP kernel profile (also in \$OUT/profile.jsonl)" &&
  { timeout 240 node profile-webgpu.mjs "${BENCH_CONFIG:-$root/bench/engine/configs/smollm2-135m.json}" "${BENCH_BATCH:-8}" "${BENCH_SEQ:-512}" 40 |
    tee "${OUT:-$S}/profile.jsonl" || status=1; }
stage 4 "WebGPU EP vs the fixtures, JSEP build" && verify all
stage 5 "fiat bench, native WebGPU EP build (ort.webgpu)" && bench --ort-build webgpu
stage 6 "WebGPU EP vs the fixtures, native build" && verify webgpu
echo "== done (at ${SECONDS}s)"
python3 - "$results" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith('{')]
torch = next((r for r in rows if r.get('reference') == 'pytorch+peft'), None)
for r in rows:
    if 'tokensPerSecond' in r and r.get('ep', '').startswith('webgpu') and torch:
        split = '' if r.get('splitSums', True) else ', no split sums'
        print(f"{r['ep']}, loss in {r.get('lossChunks', '?')} chunk(s){split}: {r['tokensPerSecond']} tok/s vs PyTorch+PEFT fp32 {torch['tokensPerSecond']} tok/s: ratio {r['tokensPerSecond'] / torch['tokensPerSecond']:.2f}")
PY
exit $status
