#!/usr/bin/env bash
# Regenerates the reference token ids that analysis' TokenizerReferenceTest compares the plugin's tokenizers with:
# the bundled MiniLM tokenizer.json (WordPiece), a CLIP tokenizer.json (byte-level BPE) and an XLM-R style Unigram one,
# tokenized by tokenizers.js (npm, pinned in package-lock.json). Run it after changing the texts or the test
# tokenizer.json files (analysis' TestModels writes them at build time); commit the fixture it writes.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
find_jdk
cd "$ROOT"
mvn_batch -pl analysis process-test-classes >/dev/null # writes the test tokenizer.json files
cd benchmarks/tokenizer-reference
npm ci --no-audit --no-fund --silent
res=$ROOT/analysis/src/test/resources/io/multivector/analysis/tokenizer
node reference.mjs --texts "$res/reference-texts.txt" --out "$res/reference-ids.json" \
  minilm="$ROOT/analysis/target/classes/io/multivector/analysis/models/minilm/all-minilm-l6-v2-q-tokenizer.json" \
  clip="$ROOT/analysis/target/test-models/reference/clip-tokenizer.json" \
  unigram="$ROOT/analysis/target/test-models/unigram-test/tokenizer.json"
echo "wrote $res/reference-ids.json"
