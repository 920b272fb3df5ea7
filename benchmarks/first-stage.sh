#!/usr/bin/env bash
# One command: first-stage (candidate) MaxSim search against exact MaxSim on the same Lucene index: recall@10,
# latency vs exact, bytes and build time per document (no node needed). Args: doc counts, FDE k_sim/d_proj/R list, graph precision.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
find_jdk
cd "$ROOT"
mvn_batch -pl codec test-compile
mvn_batch -pl codec dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
exec "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -Xmx6g \
  -cp "codec/target/test-classes:codec/target/classes:$(cat codec/target/bench.classpath)" \
  io.multivector.codec.bench.FirstStageBenchmark "$@" 2>&1 | grep -v "^WARNING: Using incubator"
