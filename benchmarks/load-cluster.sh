#!/usr/bin/env bash
# One command: sustained concurrent search (dense kNN, exact MaxSim, fusion) + pipeline ingest against a 3-node cluster
# started by scripts/cluster.sh, for a fixed time; then the same while a node is SIGKILLed and started again. Prints
# throughput, p50/p99 latency and errors per operation. Not in CI (minutes of load). Options go to load_cluster.py
# (--seconds, --searchers, --docs); LOAD_PORT (default 9280) moves the cluster.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
find_jdk
mvn_batch package -DskipTests -pl plugin -am
DIR=$ROOT/target/load-cluster
PORT=${LOAD_PORT:-9280}
trap '"$ROOT/scripts/cluster.sh" stop --dir "$DIR"' EXIT
"$ROOT/scripts/cluster.sh" start --nodes 3 --dir "$DIR" --port "$PORT" --heap 1g
python3 "$ROOT/benchmarks/load_cluster.py" --port "$PORT" --launcher "$ROOT/scripts/cluster.sh" --dir "$DIR" "$@"
