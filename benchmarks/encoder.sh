#!/usr/bin/env bash
# One command: encoder overhead of the bundled minilm against a plain onnxruntime loop (in-process, no node).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
find_jdk
cd "$ROOT"
mvn_batch -pl analysis test-compile
mvn_batch -pl analysis dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
exec "$JAVA_HOME/bin/java" -Xmx2g -cp "analysis/target/test-classes:analysis/target/classes:$(cat analysis/target/bench.classpath)" \
  io.multivector.analysis.bench.EncoderBenchmark "$@"
