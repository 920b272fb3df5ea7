#!/usr/bin/env bash
# Builds the plugin zip (plugin/target/multivector-<version>.zip) with a JDK >= 21 found by itself, whatever the
# machine's default java is. Extra arguments go to Maven.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
find_jdk
echo "using JAVA_HOME=$JAVA_HOME" >&2
exec mvn -B -f "$ROOT/pom.xml" package -DskipTests "$@"
