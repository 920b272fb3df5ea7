#!/usr/bin/env bash
# Shared helpers for the project's scripts: sourced, never run.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Prints the major version of the java binary given, or nothing.
java_major() {
  "$1" -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit}'
}

# JAVA_HOME when it is >= 21, else the newest JDK >= 21 under /usr/lib/jvm. Exports JAVA_HOME.
find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(java_major "$JAVA_HOME/bin/java")" -ge 21 ] 2>/dev/null; then
    export JAVA_HOME; return 0
  fi
  local best="" best_major=0 candidate major
  for candidate in /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
    [ -x "$candidate/bin/javac" ] || continue
    major=$(java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best=$candidate; best_major=$major
    fi
  done
  if [ -z "$best" ]; then
    echo "error: no JDK >= 21 found (set JAVA_HOME or install one under /usr/lib/jvm)" >&2
    return 1
  fi
  export JAVA_HOME=$best
}

# A version property from the root pom, so that versions live in one place.
pom_property() {
  sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$ROOT/pom.xml" | head -n 1
}

mvn_batch() {
  mvn -B -q -f "$ROOT/pom.xml" "$@"
}

# Runs a main class of the codec module's test classes (the in-process benchmarks) on the test classpath;
# the JVM flags in $CODEC_JAVA_OPTS go first (e.g. --avx2 of the MaxSim benchmarks).
run_codec_main() {
  local main=$1; shift
  mvn_batch -pl codec test-compile
  mvn_batch -pl codec dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/java" ${CODEC_JAVA_OPTS:-} --add-modules jdk.incubator.vector -Xmx6g \
    -cp "$ROOT/codec/target/test-classes:$ROOT/codec/target/classes:$(cat "$ROOT/codec/target/bench.classpath")" \
    "$main" "$@" 2>&1 | grep --line-buffered -v "^WARNING: Using incubator"
}

# Runs a main class of the analysis module's test classes (encoder and tokenizer benchmarks) on the test classpath;
# the goal is what must be built first (test-compile, or process-test-classes for the tests' model files).
run_analysis_main() {
  local goal=$1 heap=$2 main=$3; shift 3
  mvn_batch -pl analysis "$goal"
  mvn_batch -pl analysis dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
  "$JAVA_HOME/bin/java" "-Xmx$heap" -cp "$ROOT/analysis/target/test-classes:$ROOT/analysis/target/classes:$(cat "$ROOT/analysis/target/bench.classpath")" \
    "$main" "$@"
}

# The MaxSim benchmarks' --avx2: the JVM plans vectors as on an AVX2 CPU and the native kernels are capped to
# AVX2, so an AVX-512 machine runs what an AVX2 one would. Sets CODEC_JAVA_OPTS and the remaining args in ARGS.
avx2_option() {
  ARGS=()
  local arg
  for arg in "$@"; do
    if [ "$arg" = "--avx2" ]; then
      CODEC_JAVA_OPTS="-XX:UseAVX=2 -Dmultivector.isa=avx2"
    else
      ARGS+=("$arg")
    fi
  done
}
