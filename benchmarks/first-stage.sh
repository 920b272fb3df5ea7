#!/usr/bin/env bash
# One command: first-stage (candidate) MaxSim search against exact MaxSim on the same Lucene index: recall@10,
# latency vs exact, bytes and build time per document (no node needed). Args: doc counts, FDE k_sim/d_proj/R list, graph precision.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
find_jdk
cd "$ROOT"
run_codec_main io.multivector.codec.bench.FirstStageBenchmark "$@"
