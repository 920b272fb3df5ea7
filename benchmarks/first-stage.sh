#!/usr/bin/env bash
# One command: first-stage (candidate) MaxSim search against exact MaxSim on the same Lucene index: recall@10,
# latency vs exact, bytes and build time per document, a 1% filter (no node needed).
#   benchmarks/first-stage.sh [--docs 10000,100000] [--fde 4/16/10,3/16/8] [--graph int8] [--field float,bit] [--candidates 100,1000] [--plot F.png]
#   benchmarks/first-stage.sh --text [same options]   real text: man-page passages encoded with the built-in minilm-tokens
# The first --text run fetches the man pages (as benchmarks/quality.sh does) and encodes up to 100k passages once
# (cached under target/first-stage; ~10 minutes per 100k on 2 cores).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
find_jdk
cd "$ROOT"
text=()
if [[ ${1:-} == --text ]]; then
  shift
  out=target/first-stage
  if [[ ! -f $out/passages.tok || ! -f $out/queries.tok ]]; then
    [[ -f $out/passages.txt ]] || (cd benchmarks && python3 first_stage_corpus.py --cache ../target/quality --out "../$out") >&2
    encode() { run_analysis_main test-compile 4g io.multivector.analysis.bench.EncodeTokenCorpus "$@"; }
    encode "$out/queries.txt" "$out/queries.tok.tmp" query && mv "$out/queries.tok.tmp" "$out/queries.tok"
    encode "$out/passages.txt" "$out/passages.tok.tmp" document && mv "$out/passages.tok.tmp" "$out/passages.tok"
  fi
  text=(--text "$ROOT/$out/passages.tok" "$ROOT/$out/queries.tok")
fi
run_codec_main io.multivector.codec.bench.FirstStageBenchmark "${text[@]}" "$@"
