#!/usr/bin/env bash
# README command 2: run the whole test suite (what CI runs through .ci/run).
# Tests build in release with -enable-testing in their own build folder (.build-test), so they never
# invalidate the build that scripts/serve.sh made.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

prepare
step "Building (release, -enable-testing, -target-cpu native)"
# The live server tests start the real swiftlet binary, so build it alongside the tests.
swift build -c release $NATIVE_FLAGS $TEST_FLAGS --scratch-path .build-test --build-tests
step "Running Swift tests"
SWIFTLET_BIN="$PWD/.build-test/release/swiftlet" SWIFTLET_MODELS_DIR="$PWD/models" \
  swift test -c release $NATIVE_FLAGS $TEST_FLAGS --scratch-path .build-test --skip-build
step "Installing the end-to-end clients (.venv-e2e)"
require_venv
[ -x .venv-e2e/bin/python ] || python3 -m venv .venv-e2e
.venv-e2e/bin/pip install -q --disable-pip-version-check -r Tests/E2E/requirements.txt
step "Running end-to-end tests (openai, langchain-openai, requests against a live swiftlet serve)"
SWIFTLET_BIN="$PWD/.build-test/release/swiftlet" SWIFTLET_MODELS_DIR="$PWD/models" \
  .venv-e2e/bin/python -m pytest -q -p no:cacheprovider Tests/E2E
