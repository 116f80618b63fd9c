#!/usr/bin/env bash
# Regenerates the ONNX protobuf bindings (src/graph/onnx/gen/onnx_pb.ts) from the pinned subset of
# onnx.proto in src/graph/onnx/proto/. Uses the buf CLI from the @bufbuild/buf devDependency and the
# protoc-gen-es plugin from node_modules/.bin; falls back to Debian's protoc when buf is unusable.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
if buf --version >/dev/null 2>&1; then
  buf generate
else
  command -v protoc >/dev/null || { echo "gen:onnx: neither buf nor protoc works; apt-get install -y protobuf-compiler" >&2; exit 1; }
  protoc --plugin=protoc-gen-es="$PWD/node_modules/.bin/protoc-gen-es" \
    --es_out=src/graph/onnx/gen --es_opt=target=ts,import_extension=ts \
    -I src/graph/onnx/proto src/graph/onnx/proto/onnx.proto
fi
