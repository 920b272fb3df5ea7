#!/usr/bin/env bash
# One command: dense_vector against knn_vector (lucene engine) on the same vectors, through a node.
# Extra arguments go to dense_node.py (needs numpy).
exec "$(dirname "${BASH_SOURCE[0]}")/with-node.sh" bash -c 'python3 "$0" --url "$BENCH_URL" "$@"' \
  "$(dirname "${BASH_SOURCE[0]}")/dense_node.py" "$@"
