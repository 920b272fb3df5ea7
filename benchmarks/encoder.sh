#!/usr/bin/env bash
# One command: encoder overhead of the bundled minilm against a plain onnxruntime loop (in-process, no node).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
find_jdk
cd "$ROOT"
run_analysis_main test-compile 2g io.multivector.analysis.bench.EncoderBenchmark "$@"
