#!/usr/bin/env bash
# README command 1: fetch the default models, build Swiftlet in release mode for this CPU, and serve the
# default chat model on http://127.0.0.1:5000/v1. Extra arguments go to `swiftlet serve`
# (e.g. `scripts/serve.sh --listen --api-key sk-local`).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

prepare
step "Building swiftlet (release, -target-cpu native)"
swift build -c release $NATIVE_FLAGS --product swiftlet
step "Serving SmolLM2-135M-Instruct on 127.0.0.1:${OPENEDAI_PORT:-5000}"
exec .build/release/swiftlet serve --models-dir models \
  --model SmolLM2-135M-Instruct.Q4_1 --embedding-model all-MiniLM-L6-v2 "$@"
