#!/usr/bin/env bash
# One command: every MaxSim kernel this CPU runs (Java Vector API and each native one) on the same in-memory
# documents, against the Java float kernel, taking turns so a shared machine's load weighs on all alike: what
# chose the kernel order (codec/.../NativeMaxSim.java). --avx2 as in maxsim-lucene.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
find_jdk
cd "$ROOT"
avx2_option "$@"
run_codec_main io.multivector.codec.multivector.MaxSimKernelsBenchmark ${ARGS[@]+"${ARGS[@]}"}
