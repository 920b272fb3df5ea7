#!/usr/bin/env bash
# Builds the plugin, starts a node with it, shows what it does, and stops the node again.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
find_jdk
PORT=${PORT:-9200}
URL=http://127.0.0.1:$PORT
DIR=$ROOT/target/demo-cluster

echo "== building the plugin (JAVA_HOME=$JAVA_HOME)"
mvn_batch package -DskipTests -pl plugin -am
trap '"$ROOT/scripts/cluster.sh" stop --dir "$DIR"' EXIT
"$ROOT/scripts/cluster.sh" start --dir "$DIR" --port "$PORT"

show() { # title, method, path, [body]
  echo; echo "== $1"; echo "\$ curl -X$2 '$URL$3'${4:+ -d '$4'}"
  curl -sS -X"$2" "$URL$3?pretty" -H 'Content-Type: application/json' ${4:+-d "$4"}
}

show "what the plugin registers in this node" GET /_plugins/_multivector
