# Sourced by run.sh and profile.sh on the device machine, with $root set to the repository root: unpacks .gpu/
# (the Vulkan loader, Node, dawn.node, onnxruntime-web, the bundled scripts) into $S, puts its node on PATH,
# cds there and checks that dawn.node finds an adapter (with NVIDIA's ICD file named if it does not at first).
[ -f "$root/.gpu/pack.tar.xz" ] || { echo "no .gpu/pack.tar.xz: run bench/engine/gpu/prepare.sh first and carry .gpu" >&2; exit 1; }
for f in "$root"/.gpu/debs/*.deb; do dpkg -x "$f" / ; done; ldconfig
S=$(mktemp -d) && tar xJf "$root/.gpu/pack.tar.xz" -C "$S" && cp "$root"/.gpu/engine/*.mjs "$S/"
export PATH="$S:$PATH"
cd "$S"
probe() { node -e "import('./node_modules/webgpu/index.js').then(async ({create,globals})=>{Object.assign(globalThis,globals);const a=await create([]).requestAdapter();console.log(a?JSON.stringify(a.info):'none');process.exit(a?0:1)})"; }
if ! probe; then export VK_ICD_FILENAMES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json; probe || echo "WARNING: no WebGPU adapter" >&2; fi
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true
