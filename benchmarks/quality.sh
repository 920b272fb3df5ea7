#!/usr/bin/env bash
# One command: retrieval quality (MRR@10, nDCG@10) of BM25, dense minilm and bge-small, MaxSim minilm-tokens (float, int8,
# bit; old and new query encoding; pooled x2 and x3) and their fusions, on ~5,500 Debian man pages, through one node. The first run fetches the man-page
# packages (apt-get download, unpacked under target/quality; nothing installed) and builds the corpus, cached for reruns.
# Options go to benchmarks/quality.py (--queries N, --seed S, --extra, --server-fusion). BENCH_PORT (default 9280) moves
# the node; INFERENCE_THREADS (default 2) sets plugins.multivector.inference.threads (bge-small reads up to 512 tokens:
# the node's default of half the cores leaves one thread on a 2-core machine).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
find_jdk
cd "$ROOT"
python3 benchmarks/quality_corpus.py --cache target/quality >&2  # before the node starts: it needs the cores
mvn_batch package -DskipTests -pl plugin -am
PORT=${BENCH_PORT:-9280}
DIR=$ROOT/target/quality-cluster
trap '"$ROOT/scripts/cluster.sh" stop --dir "$DIR"' EXIT
# config/multivector/minilm/ holds the bundled MiniLM files, to register the old [MASK]-padded query encoding over them
"$ROOT/scripts/cluster.sh" start --dir "$DIR" --port "$PORT" --heap 2g --models "$ROOT/analysis/target/classes/io/multivector/analysis/models" \
  --setting "plugins.multivector.inference.threads=${INFERENCE_THREADS:-2}"
python3 benchmarks/quality.py --url "http://127.0.0.1:$PORT" --cache target/quality "$@"
