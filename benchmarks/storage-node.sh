#!/usr/bin/env bash
# One command: bytes on disk per token vector for each multi_vector element type, through a node, against
# vectors kept in _source only (the incumbent) and kept twice. Extra arguments go to storage_node.py.
exec "$(dirname "${BASH_SOURCE[0]}")/with-node.sh" bash -c 'python3 "$0" --url "$BENCH_URL" "$@"' \
  "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/storage_node.py" "$@"
