#!/usr/bin/env bash
# One command: MaxSim scoring speed of the multi-vector format against Lucene 10.4's late-interaction scorer,
# one thread, same index, same run (no node needed). --avx2: run as an AVX2 CPU would (-XX:UseAVX=2 and the
# native kernels capped with -Dmultivector.isa=avx2), to measure the AVX2 kernels on an AVX-512 machine.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
find_jdk
cd "$ROOT"
avx2_option "$@"
run_codec_main io.multivector.codec.bench.MaxSimBenchmark ${ARGS[@]+"${ARGS[@]}"}
