#!/usr/bin/env bash
# One command: MaxSim through a node, the vector query against knn's Painless lateInteractionScore.
# Extra arguments go to maxsim_node.py.
exec "$(dirname "${BASH_SOURCE[0]}")/with-node.sh" bash -c 'python3 "$0" --url "$BENCH_URL" "$@"' \
  "$(dirname "${BASH_SOURCE[0]}")/maxsim_node.py" "$@"
