#!/usr/bin/env bash
# One command: our fusion query against the slowest subquery alone, client-side fusion and neural-search's hybrid
# query, on the same node, data and subqueries. Extra arguments go to fusion_node.py (needs numpy).
export BENCH_PEERS=--neural
exec "$(dirname "${BASH_SOURCE[0]}")/with-node.sh" bash -c 'python3 "$0" --url "$BENCH_URL" "$@"' \
  "$(dirname "${BASH_SOURCE[0]}")/fusion_node.py" "$@"
