#!/usr/bin/env python3
"""Real text for the first-stage benchmark: passages of the Debian man pages that benchmarks/quality_corpus.py fetches
(every section of every page, not only DESCRIPTION), cut into passages of 24-48 words (about 32-70 tokens), as ColBERT-style corpora cut
documents into short passages; queries are pages' NAME descriptions. Writes passages.txt and queries.txt (one text a
line) under the cache directory. Recall is measured against exact MaxSim, so no relevance labels are needed."""
import argparse
import concurrent.futures
import glob
import os
import random
import re

import quality_corpus

MIN_WORDS, MAX_WORDS = 24, 48


def passages(text):
    words = text.split()
    out = []
    for start in range(0, len(words), MAX_WORDS):
        chunk = words[start:start + MAX_WORDS]
        if len(chunk) >= MIN_WORDS:
            out.append(" ".join(chunk))
    return out


def page(path):
    text = quality_corpus.render(path)
    if text is None:
        return None, []
    parts = quality_corpus.sections(text)
    name = " ".join(parts.get("NAME", []))
    cut = next((name.index(d) for d in quality_corpus.DASHES if d in name), -1)
    query = re.sub(r"\s+", " ", name[cut + 3:]).strip() if cut >= 0 else None
    found = []
    for heading, paragraphs in parts.items():
        if heading != "NAME":
            for paragraph in paragraphs:
                found.extend(passages(re.sub(r"\s+", " ", paragraph)))
    return query, found


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cache", default="target/quality")
    parser.add_argument("--out", default="target/first-stage")
    parser.add_argument("--passages", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=50)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    root, _ = quality_corpus.fetch(args.cache)
    paths = sorted(p for d in quality_corpus.MAN_DIRS for p in glob.glob(os.path.join(root, d, "*.gz")) if not os.path.islink(p))
    seen, texts, queries = set(), [], []
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count()) as pool:
        for query, found in pool.map(page, paths):
            if query and len(query.split()) >= 3:
                queries.append(query)
            for text in found:
                if text not in seen:  # the same passage in several pages (shared boilerplate): keep one
                    seen.add(text)
                    texts.append(text)
    rng = random.Random(42)
    rng.shuffle(texts)  # the first N of the file are a uniform sample, whatever N the benchmark takes
    texts = texts[:args.passages]
    queries = rng.sample(sorted(set(queries)), args.queries)
    with open(os.path.join(args.out, "passages.txt"), "w") as f:
        f.writelines(t + "\n" for t in texts)
    with open(os.path.join(args.out, "queries.txt"), "w") as f:
        f.writelines(q + "\n" for q in queries)
    print(f"{len(paths)} pages -> {len(texts)} passages of {MIN_WORDS}-{MAX_WORDS} words, {len(queries)} queries in {args.out}")


if __name__ == "__main__":
    main()
