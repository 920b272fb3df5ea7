#!/usr/bin/env bash
# One command: MaxSim scoring speed of the multi-vector format against Lucene 10.4's late-interaction scorer,
# one thread, same index, same run (no node needed).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
find_jdk
cd "$ROOT"
mvn_batch -pl codec test-compile
mvn_batch -pl codec dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
exec "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -Xmx6g \
  -cp "codec/target/test-classes:codec/target/classes:$(cat codec/target/bench.classpath)" \
  io.multivector.codec.bench.MaxSimBenchmark "$@" 2>&1 | grep -v "^WARNING: Using incubator"
