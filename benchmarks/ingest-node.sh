#!/usr/bin/env bash
# One command: ingest throughput through the multivector_embed pipeline with the bundled models, on one node.
exec "$(dirname "${BASH_SOURCE[0]}")/with-node.sh" bash -c 'python3 "$0" --url "$BENCH_URL" "$@"' \
  "$(dirname "${BASH_SOURCE[0]}")/ingest_node.py" "$@"
