#!/usr/bin/env bash
# One command: our Java tokenizers (WordPiece, CLIP BPE) against Hugging Face's tokenizers library (Rust, through DJL)
# and tokenizers.js (an independent JavaScript implementation, when node is installed): tokens/s and exact ids, on
# lines of the machine's man pages in every language installed (/usr/share/man, translations included). The Unigram
# and CLIP tokenizer.json files are the tests' (analysis' TestModels): no real XLM-R or CLIP one is on the machine.
#   benchmarks/tokenizers.sh [lines, default 4000]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
find_jdk
cd "$ROOT"
lines=${1:-4000}
work=$ROOT/target/tokenizers-bench
mkdir -p "$work"
python3 - "$lines" "$work/corpus.txt" <<'PY'
import glob, gzip, random, sys
# half the lines from English pages, half from translations; at most 10 text lines a page, pages in a seeded order
n, out = int(sys.argv[1]), sys.argv[2]
files = sorted(glob.glob("/usr/share/man/**/*.gz", recursive=True))
random.Random(7).shuffle(files)
picked = {"en": [], "other": []}
for f in files:
    lines = picked["en" if f.split("/")[4].startswith("man") else "other"]
    if len(lines) >= n // 2:
        continue
    try:
        text = gzip.open(f, "rb").read().decode("utf-8", "replace")
    except OSError:
        continue
    taken = 0
    for line in text.splitlines():
        line = line.strip()
        if len(line) >= 20 and not line.startswith((".", "'", '\\"')) and taken < 10 and len(lines) < n // 2:
            lines.append(line)
            taken += 1
    if all(len(v) >= n // 2 for v in picked.values()):
        break
open(out, "w").write("\n".join(picked["en"] + picked["other"]) + "\n")
PY
python3 -c "import sys; sys.path.insert(0, 'benchmarks'); import machine; m, f = machine.cpu(); print('CPU:', m, '| flags:', ' '.join(f))"
minilm=analysis/target/classes/io/multivector/analysis/models/minilm/all-minilm-l6-v2-q-tokenizer.json
clip=analysis/target/test-models/reference/clip-tokenizer.json
unigram=analysis/target/test-models/unigram-test/tokenizer.json
# process-test-classes: the tests' tokenizer.json files
run_analysis_main process-test-classes 1g io.multivector.analysis.bench.TokenizerBenchmark "$work/corpus.txt" "$work" "$minilm" "$clip" "$unigram" 2> >(grep -v "^SLF4J" >&2)
if ! command -v node >/dev/null; then
  echo "no node: the tokenizers.js comparison is skipped"; exit 0
fi
(cd benchmarks/tokenizer-reference && npm ci --no-audit --no-fund --silent)
for family in wordpiece:$minilm clip-bpe:$clip unigram:$unigram; do
  name=${family%%:*}
  node benchmarks/tokenizer-reference/reference.mjs --texts "$work/corpus.txt" --lines x="${family#*:}" > "$work/$name-js.jsonl"
done
python3 - "$work" <<'PY'
import json, os, sys
work = sys.argv[1]
print("ids equal to tokenizers.js's (independent implementation), per text:")
for family in ("wordpiece", "clip-bpe", "unigram"):
    js = [json.loads(l) for l in open(os.path.join(work, family + "-js.jsonl"))]
    for impl in ("hf", "java"):
        path = os.path.join(work, f"{family}-{impl}.jsonl")
        if os.path.exists(path):
            ours = [json.loads(l) for l in open(path)]
            equal = sum(a == b for a, b in zip(ours, js))
            print(f"  {family:10s} {'Hugging Face (DJL)' if impl == 'hf' else 'Java':20s} {equal}/{len(js)}")
PY
