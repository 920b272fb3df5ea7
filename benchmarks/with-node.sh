#!/usr/bin/env bash
# Builds the plugin, starts one node with multivector + opensearch-knn on port BENCH_PORT (default 9270), runs the command given
# (with BENCH_URL set), and stops the node again, whatever the command's outcome. BENCH_PEERS=--neural also
# installs neural-search; BENCH_SHARDS is passed on for the benchmarks that take it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
find_jdk
mvn_batch package -DskipTests -pl plugin -am
DIR=$ROOT/target/bench-cluster
trap '"$ROOT/scripts/cluster.sh" stop --dir "$DIR"' EXIT
PORT=${BENCH_PORT:-9270}
"$ROOT/scripts/cluster.sh" start --dir "$DIR" --port "$PORT" ${BENCH_PEERS:---knn} --heap 2g
BENCH_URL=http://127.0.0.1:$PORT "$@"
