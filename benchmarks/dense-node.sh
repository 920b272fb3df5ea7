#!/usr/bin/env bash
# One command: builds the plugin, starts a node with multivector + opensearch-knn, compares dense_vector with
# knn_vector (lucene engine) on the same vectors, stops the node. Extra arguments go to dense_node.py (needs numpy).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
find_jdk
mvn_batch package -DskipTests -pl plugin -am
DIR=$ROOT/target/bench-cluster
trap '"$ROOT/scripts/cluster.sh" stop --dir "$DIR"' EXIT
"$ROOT/scripts/cluster.sh" start --dir "$DIR" --port 9270 --knn --heap 2g
python3 "$ROOT/benchmarks/dense_node.py" --url http://127.0.0.1:9270 "$@"
