#!/usr/bin/env python3
"""Retrieval quality through a real node, on man pages (benchmarks/quality_corpus.py): known-item search, each query a
page's NAME description and its one relevant document the page's DESCRIPTION. One index holds the text (BM25), the
dense minilm and bge-small vectors and the minilm-tokens matrices (float, int8, bit; pooled with factor 2 and 3), all
filled by the multivector_embed pipeline. Prints MRR@10 and nDCG@10 per system. Started by benchmarks/quality.sh."""
import itertools
import argparse
import concurrent.futures
import json
import math
import os
import random
import statistics
import sys
import time
import urllib.error
import urllib.request

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import quality_corpus  # noqa: E402
from machine import cpu

INDEX = "quality"
PADDED = "minilm-tokens-mask32"  # the built-in token model as it was: queries padded with [MASK] to 32 tokens
PADDED_8 = "minilm-tokens-mask8"
WINDOW = 100


def call(url, method, path, body=None, ndjson=False):
    data = None if body is None else (body if ndjson else json.dumps(body)).encode()
    request = urllib.request.Request(url + path, data=data, method=method,
                                     headers={"Content-Type": "application/x-ndjson" if ndjson else "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=900) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as e:
        raise RuntimeError(f"{method} {path}: {e.code} {e.read().decode()[:1000]}") from None


def setup(url, docs, bulk, workers=1):
    # the int8 and bit fields get copies of the float field's matrices (base64 in the document at that point): the same
    # vectors at three precisions, encoded once (the embed processor would run a model once per target field)
    # pooled fields: the processor encodes each text once per model and pools per target; the cosine copy of the
    # factor-2 matrices gets its means normalized by the field
    vectors = {"desc_minilm": "minilm", "desc_tokens": "minilm-tokens", "desc_bge": "bge-small",
               "desc_tokens_p2": {"model": "minilm-tokens", "pool_factor": 2},
               "desc_tokens_p3": {"model": "minilm-tokens", "pool_factor": 3}}
    call(url, "PUT", "/_ingest/pipeline/quality_embed", {"processors": [
        {"multivector_embed": {"field_map": {"text": vectors}}},
        {"copy": {"source_field": "desc_tokens", "target_field": "desc_tokens_int8"}},
        {"copy": {"source_field": "desc_tokens", "target_field": "desc_tokens_bit"}},
        {"copy": {"source_field": "desc_tokens_p2", "target_field": "desc_tokens_p2_int8"}},
        {"copy": {"source_field": "desc_tokens_p2", "target_field": "desc_tokens_p2_cos"}}]})
    try:
        call(url, "DELETE", "/" + INDEX)
    except RuntimeError:
        pass
    tokens = lambda element, similarity="dot_product": {"type": "multi_vector", "dims": 384, "element_type": element,
                                                         "similarity": similarity, "model": "minilm-tokens"}
    call(url, "PUT", "/" + INDEX, {
        "settings": {"index.multivector": True, "number_of_shards": 1, "number_of_replicas": 0, "refresh_interval": "-1",
                     "index.default_pipeline": "quality_embed"},
        "mappings": {"properties": {
            "text": {"type": "text"},
            "desc_minilm": {"type": "dense_vector", "dims": 384, "similarity": "cosine", "model": "minilm"},
            "desc_bge": {"type": "dense_vector", "dims": 384, "similarity": "cosine", "model": "bge-small"},
            "desc_tokens": tokens("float"), "desc_tokens_int8": tokens("int8"), "desc_tokens_bit": tokens("bit"),
            "desc_tokens_p2": tokens("float"), "desc_tokens_p3": tokens("float"), "desc_tokens_p2_int8": tokens("int8"),
            "desc_tokens_p2_cos": tokens("float", "cosine")}}})
    return index_docs(url, docs, bulk, workers)


def index_docs(url, docs, bulk, workers=1):
    """Bulk requests of `bulk` documents, `workers` at once (a text's vectors do not depend on its batch), then a refresh."""
    start = time.perf_counter()

    def send(lo):
        lines = []
        for d in docs[lo:lo + bulk]:
            lines += [json.dumps({"index": {"_id": d["id"]}}), json.dumps({"text": d["text"]})]
        response = call(url, "POST", f"/{INDEX}/_bulk", "\n".join(lines) + "\n", ndjson=True)
        assert not response["errors"], json.dumps(response)[:1000]
        return min(lo + bulk, len(docs))

    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        for done in pool.map(send, range(0, len(docs), bulk)):
            if done % (bulk * 20) == 0 or done == len(docs):
                print(f"  indexed {done}/{len(docs)} ({done / (time.perf_counter() - start):.1f} docs/s)", file=sys.stderr, flush=True)
    call(url, "POST", f"/{INDEX}/_refresh")
    return time.perf_counter() - start


def register_padded(url, model, length):
    """The built-in token model with [MASK]-padded queries, registered over the same files (config/multivector/minilm/)."""
    try:
        call(url, "DELETE", "/_plugins/_multivector/models/" + model)
    except RuntimeError:
        pass
    call(url, "PUT", "/_plugins/_multivector/models/" + model, {
        "kind": "text_tokens", "model_file": "minilm/all-minilm-l6-v2-q.onnx", "tokenizer_file": "minilm/all-minilm-l6-v2-q-tokenizer.json",
        "dims": 384, "max_tokens": 128, "query_augmentation": True, "query_length": length})


def search(url, body):
    """[(doc id, score)] best first."""
    body = dict(body, _source=False, track_total_hits=False)
    return [(h["_id"], h["_score"]) for h in call(url, "POST", f"/{INDEX}/_search", body)["hits"]["hits"]]


def vector(field, text, k, **extra):
    return {"vector": dict({"field": field, "query_text": text, "k": k}, **extra)}


# client-side fusion of several [(id, score)] lists, each a system's top WINDOW
def rrf(lists, weights=None, k=60):
    fused = {}
    for hits, w in zip(lists, weights or [1] * len(lists)):
        for rank, (doc, _) in enumerate(hits, 1):
            fused[doc] = fused.get(doc, 0) + w / (k + rank)
    return fused


def dbsf(lists, weights=None):
    """Distribution-based: each list's scores mapped by (s - (mu - 3 sigma)) / (6 sigma), sample sigma; one hit or sigma 0: 0.5."""
    fused = {}
    for hits, w in zip(lists, weights or [1] * len(lists)):
        scores = [s for _, s in hits]
        sigma = statistics.stdev(scores) if len(scores) > 1 else 0.0
        mu = statistics.fmean(scores) if scores else 0.0
        for doc, s in hits:
            fused[doc] = fused.get(doc, 0) + w * (0.5 if sigma == 0 else max(0.0, (s - (mu - 3 * sigma)) / (6 * sigma)))
    return fused


def linear(lists, weights=None):
    """Sum of min-max normalized scores; a list whose scores are all equal gives each hit 1."""
    fused = {}
    for hits, w in zip(lists, weights or [1] * len(lists)):
        scores = [s for _, s in hits]
        lo, hi = (min(scores), max(scores)) if scores else (0, 0)
        for doc, s in hits:
            fused[doc] = fused.get(doc, 0) + w * (1.0 if hi == lo else (s - lo) / (hi - lo))
    return fused


def mrr_at_10(queries, results):
    return sum(1 / (hits.index(q["id"]) + 1) for q, hits in zip(queries, results) if q["id"] in hits) / len(queries)


GRID = [0, 0.1, 0.2, 0.3, 0.5, 0.7, 1]


def tune_weights(dev, runs, workers=1):
    """Per method, the weights (one per list; the last, MaxSim, fixed at 1, the others from GRID) with the best MRR@10 on
    dev queries disjoint from the test ones. Every weighting is scored at once: each list's per-document contribution
    (the method applied to that list alone) in a matrix, times the weights; ties by document id, as in top()."""
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        lists = list(pool.map(lambda q: [run(q["query"]) for run in runs], dev))
    combos = np.array([[*w, 1.0] for w in itertools.product(GRID, repeat=len(runs) - 1)])
    best = {}
    for name, fuse in (("rrf", rrf), ("dbsf", dbsf), ("linear", linear)):
        reciprocal = np.zeros(len(combos))
        for q, per_list in zip(dev, lists):
            contributions = [fuse([hits]) for hits in per_list]
            docs = sorted(set().union(*contributions))
            if q["id"] not in docs:
                continue
            m = np.array([[c.get(d, 0.0) for d in docs] for c in contributions])
            order = np.argsort(-(combos @ m), axis=1, kind="stable")[:, :10]  # docs are sorted by id: ties go to the lower id
            hit = order == docs.index(q["id"])
            found = hit.any(axis=1)
            reciprocal[found] += 1.0 / (hit[found].argmax(axis=1) + 1)
        mrr = reciprocal / len(dev)
        i = max(range(len(combos)), key=lambda j: (round(mrr[j], 12), -combos[j].sum()))
        best[name] = (float(mrr[i]), [float(w) for w in combos[i]])
    return best


def top(fused, n=10):
    return [doc for doc, _ in sorted(fused.items(), key=lambda e: (-e[1], e[0]))[:n]]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:9200")
    parser.add_argument("--cache", default="target/quality")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--extra", action="store_true",
                        help="also MaxSim with queries padded to 32 and to 8 (the old encoding), and queries encoded as documents")
    parser.add_argument("--server-fusion", action="store_true",
                        help="also run every fusion as the node's `fusion` query (same lists and formulas as client-side: same figures)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--bulk", type=int, default=64)
    parser.add_argument("--workers", type=int, default=1, help="queries sent at once (ms/query then counts waiting)")
    parser.add_argument("--skip-index", action="store_true", help="search the index a previous run left on the node")
    parser.add_argument("--docs", type=int, default=0, help="only the first N documents (a quick check of the script; 0: all)")
    parser.add_argument("--dev-queries", type=int, default=200, help="other queries, on which the fusion weights are tuned")
    args = parser.parse_args()
    url = args.url
    header, docs = quality_corpus.load(args.cache)
    if args.docs:
        docs = docs[:args.docs]
    usable = [d for d in docs if d["is_query"]]
    queries = random.Random(args.seed).sample(usable, args.queries)
    test_ids = {q["id"] for q in queries}
    dev = random.Random(args.seed + 1000).sample([d for d in usable if d["id"] not in test_ids], args.dev_queries)
    model, flags = cpu()
    info = call(url, "GET", "/_plugins/_multivector")
    fusion = "fusion" in info.get("queries", [])
    if args.extra:
        register_padded(url, PADDED, 32)
        register_padded(url, PADDED_8, 8)
    encoding = call(url, "GET", "/_plugins/_multivector/models/minilm-tokens")["models"]["minilm-tokens"].get("encoding")
    print(f"indexing {len(docs)} documents through multivector_embed ...", file=sys.stderr, flush=True)
    ingest_s = float("nan") if args.skip_index else setup(url, docs, args.bulk, args.workers)

    systems = {  # name -> (hits of one query, from the node), in the order of the table
        "BM25 (`match` on text)": lambda q: search(url, {"size": WINDOW, "query": {"match": {"text": q}}}),
        "dense `minilm` (HNSW, k 100)": lambda q: search(url, {"size": WINDOW, "query": vector("desc_minilm", q, WINDOW)}),
        "dense `bge-small` (HNSW, k 100; query instruction)": lambda q: search(url, {"size": WINDOW, "query": vector("desc_bge", q, WINDOW)}),
        "MaxSim `minilm-tokens` float, new default (no padding)":
            lambda q: search(url, {"size": WINDOW, "query": vector("desc_tokens", q, WINDOW)}),
        "MaxSim int8 (new default)": lambda q: search(url, {"size": 10, "query": vector("desc_tokens_int8", q, 10)}),
        "MaxSim bit (new default)": lambda q: search(url, {"size": 10, "query": vector("desc_tokens_bit", q, 10)}),
        "MaxSim float, pooled x2 (`pool_factor` 2; dot_product: means as they are)":
            lambda q: search(url, {"size": 10, "query": vector("desc_tokens_p2", q, 10)}),
        "MaxSim float, pooled x2, cosine field (means normalized)":
            lambda q: search(url, {"size": 10, "query": vector("desc_tokens_p2_cos", q, 10)}),
        "MaxSim float, pooled x3 (`pool_factor` 3)": lambda q: search(url, {"size": 10, "query": vector("desc_tokens_p3", q, 10)}),
        "MaxSim int8, pooled x2": lambda q: search(url, {"size": 10, "query": vector("desc_tokens_p2_int8", q, 10)}),
    }
    if args.extra:  # other query encodings of the same model, which chose the default (README)
        systems[f"MaxSim `minilm-tokens` float, old query encoding ([MASK]-padded to 32; `{PADDED}`)"] = \
            lambda q: search(url, {"size": 10, "query": vector("desc_tokens", q, 10, model=PADDED)})
        systems["MaxSim float, [MASK]-padded to 8 (`minilm-tokens-mask8`)"] = \
            lambda q: search(url, {"size": 10, "query": vector("desc_tokens", q, 10, model=PADDED_8)})
        systems["MaxSim float, query encoded as a document (`_encode`: no [CLS]/[SEP]/punctuation)"] = \
            lambda q: search(url, {"size": 10, "query": {"vector": {"field": "desc_tokens", "k": 10, "query_vectors": call(
                url, "POST", "/_plugins/_multivector/_encode", {"model": "minilm-tokens", "texts": [q]})["vectors"][0]}}})
    bm25, minilm, bge, maxsim = ("BM25 (`match` on text)", "dense `minilm` (HNSW, k 100)",
                                 "dense `bge-small` (HNSW, k 100; query instruction)", "MaxSim `minilm-tokens` float, new default (no padding)")
    subquery = {bm25: lambda q: {"match": {"text": q}}, minilm: lambda q: vector("desc_minilm", q, WINDOW),
                bge: lambda q: vector("desc_bge", q, WINDOW), maxsim: lambda q: vector("desc_tokens", q, WINDOW)}
    # the fusions: BM25 + minilm + MaxSim (as before bge-small), and with bge-small, a second dense family
    fusions = {"BM25 + dense + MaxSim": [bm25, minilm, maxsim], "BM25 + minilm + bge-small + MaxSim": [bm25, minilm, bge, maxsim]}
    client, server, fused_from, client_weights = {}, {}, {}, {}
    for label, members in fusions.items():
        for method, fuse in (("rrf", rrf), ("dbsf", dbsf), ("linear", linear)):
            name = f"client-side fusion {method}{' (k 60)' if method == 'rrf' else ''}{' (min-max)' if method == 'linear' else ''}: {label}"
            client[name], fused_from[name] = fuse, members
            if not args.server_fusion:
                continue
            extra = {"normalization": "min_max"} if method == "linear" else {}
            server[f"server-side `fusion` {method}: {label}"] = lambda q, m=method, e=extra, ms=members: search(url, {"size": 10, "query": {
                "fusion": dict({"queries": [subquery[n](q) for n in ms], "method": m, "window_size": WINDOW}, **e)}})
    if fusion and args.dev_queries:
        for label, members in fusions.items():
            tuned = tune_weights(dev, [systems[n] for n in members], args.workers)
            print(f"weights tuned on {len(dev)} dev queries (disjoint from the test queries) for {label}: "
                  f"{json.dumps({m: {'weights': w, 'dev MRR@10': round(v, 3)} for m, (v, w) in tuned.items()})}", file=sys.stderr, flush=True)
            for method, (_, weights) in tuned.items():
                name = f"client-side fusion {method}: {label}, weights {weights} tuned on {len(dev)} other queries"
                client[name], fused_from[name], client_weights[name] = dict(rrf=rrf, dbsf=dbsf, linear=linear)[method], members, weights
                if not args.server_fusion:
                    continue
                extra = {"normalization": "min_max"} if method == "linear" else {}
                server[f"server-side `fusion` {method}: {label}, weights {weights} tuned on {len(dev)} other queries"] = \
                    lambda q, m=method, w=weights, e=extra, ms=members: search(url, {"size": 10, "query": {"fusion": dict({
                        "queries": [subquery[n](q) for n in ms], "method": m, "weights": w, "window_size": WINDOW}, **e)}})
    ranks = {name: [] for name in [*systems, *client, *server]}
    seconds = {name: 0.0 for name in ranks}
    start = time.perf_counter()

    def run_query(query):
        lists, took = {}, {}
        for name, run in [*systems.items(), *(server.items() if fusion else [])]:
            t = time.perf_counter()
            lists[name] = run(query["query"])
            took[name] = time.perf_counter() - t
        return lists, took

    with concurrent.futures.ThreadPoolExecutor(args.workers) as pool:
        for i, (lists, took) in enumerate(pool.map(run_query, queries)):  # in query order
            for name in lists:
                seconds[name] += took[name]
                ranks[name].append([doc for doc, _ in lists[name][:10]])
            for name, fuse in client.items():
                ranks[name].append(top(fuse([lists[n] for n in fused_from[name]], client_weights.get(name))))
            if (i + 1) % 50 == 0:
                print(f"  {i + 1}/{len(queries)} queries ({time.perf_counter() - start:.0f} s)", file=sys.stderr, flush=True)

    print(f"\nCPU: {model}, {os.cpu_count()} cores; flags: {' '.join(flags)}")
    print(f"corpus: {len(docs)} man pages (DESCRIPTION sections, avg {sum(len(d['text']) for d in docs) / len(docs):.0f} chars, "
          f"cut at {quality_corpus.MAX_DOC_CHARS}) from {len(header['packages'])} Debian packages; {len(queries)} queries "
          f"(NAME descriptions, seed {args.seed}) of {sum(d['is_query'] for d in docs)} usable; one relevant document each")
    print(f"packages: {', '.join(header['packages'])}")
    print(f"indexed through multivector_embed (minilm + minilm-tokens in one network run, bge-small, pooling) in {ingest_s:.0f} s "
          f"({len(docs) / ingest_s:.1f} docs/s); minilm-tokens encoding: {json.dumps(encoding)}\n")
    print("| system | MRR@10 | nDCG@10 | ms/query |")
    print("|---|---:|---:|---:|")
    for name, results in ranks.items():
        if not results:
            print(f"| {name} | n/a | n/a | n/a |")
            continue
        mrr = ndcg = 0.0
        for query, hits in zip(queries, results):
            if query["id"] in hits:
                rank = hits.index(query["id"]) + 1
                mrr += 1 / rank
                ndcg += 1 / math.log2(rank + 1)
        ms = f"{1000 * seconds[name] / len(queries):.1f}" if name not in client else "-"
        print(f"| {name} | {mrr / len(queries):.3f} | {ndcg / len(queries):.3f} | {ms} |")


if __name__ == "__main__":
    main()
