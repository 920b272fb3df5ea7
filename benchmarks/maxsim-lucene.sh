#!/usr/bin/env bash
# One command: MaxSim scoring speed of the multi-vector format against Lucene 10.4's late-interaction scorer,
# one thread, same index, same run (no node needed).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
find_jdk
cd "$ROOT"
run_codec_main io.multivector.codec.bench.MaxSimBenchmark "$@"
