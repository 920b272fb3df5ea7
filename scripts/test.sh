#!/usr/bin/env bash
# All tests: unit tests, in-JVM cluster tests, then the YAML REST suite against a real node started by
# scripts/cluster.sh. Extra arguments go to Maven (e.g. -pl codec).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
find_jdk
echo "using JAVA_HOME=$JAVA_HOME" >&2
cd "$ROOT"
exec mvn -B -f "$ROOT/pom.xml" verify "$@"
