#!/usr/bin/env bash
# One command: builds the plugin, starts a node with multivector + opensearch-knn, runs the MaxSim benchmark
# against knn's Painless lateInteractionScore, stops the node. Extra arguments go to maxsim_node.py.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
find_jdk
mvn_batch package -DskipTests -pl plugin -am
DIR=$ROOT/target/bench-cluster
trap '"$ROOT/scripts/cluster.sh" stop --dir "$DIR"' EXIT
"$ROOT/scripts/cluster.sh" start --dir "$DIR" --port 9270 --knn --heap 2g
python3 "$ROOT/benchmarks/maxsim_node.py" --url http://127.0.0.1:9270 "$@"
