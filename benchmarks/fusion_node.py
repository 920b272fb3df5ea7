#!/usr/bin/env python3
"""Fusion through a real node (every variant returns ids and scores only, no _source): our `fusion` query against (1) the slowest of its subqueries alone, (2) client-side
fusion (the N searches sent by the client, then RRF in the client), and (3) neural-search's `hybrid` query with its
RRF score-ranker pipeline, on the same index, the same subqueries, the same node, in one run. Also counts how often
a page 2 is not items 11-20 of the size-20 list (ours, and hybrid's with pagination_depth = from + size).

Data: seeded synthetic documents, each with two dense fields (64 and 32 dims, HNSW), one multi_vector field
(8 tokens x 32 dims, exact MaxSim) and a text field of vocabulary words (BM25). Started by benchmarks/fusion-node.sh,
which brings up a node with multivector, opensearch-knn and neural-search.
"""
import argparse
import json
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from maxsim_node import call
from machine import cpu

WORDS = ("warm jacket cold weather wool coat rain boots summer hat linen shirt scarf gloves leather belt denim "
         "jeans silk dress cotton socks sneakers sandals parka fleece vest hoodie beanie umbrella").split()


def percentiles(samples):
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def build(url, args, rng):
    call(url, "DELETE", "/fz_bench?ignore_unavailable=true")
    call(url, "PUT", "/fz_bench", {
        "settings": {"index.multivector": True, "number_of_shards": args.shards, "number_of_replicas": 0, "refresh_interval": "-1"},
        "mappings": {"properties": {
            "title": {"type": "text"},
            "d64": {"type": "dense_vector", "dims": 64, "similarity": "l2"},
            "d32": {"type": "dense_vector", "dims": 32, "similarity": "l2"},
            "tokens": {"type": "multi_vector", "dims": 32, "element_type": "float"},
            # --first-stage: the same matrices with a first-stage index, for the fusion-subquery comparison
            **({"tokens_fde": {"type": "multi_vector", "dims": 32, "element_type": "float", "index_options": {"type": "fde_hnsw"}}}
               if args.first_stage else {})}}})
    centers64, centers32 = rng.normal(size=(64, 64)), rng.normal(size=(64, 32))
    started = time.time()
    for start in range(0, args.docs, 1000):
        lines = []
        for i in range(start, min(args.docs, start + 1000)):
            c = rng.integers(0, 64)
            doc = {"title": " ".join(rng.choice(WORDS, 6)),
                   "d64": np.round(centers64[c] + rng.normal(scale=0.6, size=64), 4).tolist(),
                   "d32": np.round(centers32[c] + rng.normal(scale=0.6, size=32), 4).tolist(),
                   "tokens": np.round(centers32[rng.integers(0, 64, 8)] + rng.normal(scale=0.4, size=(8, 32)), 4).tolist()}
            if args.first_stage:
                doc["tokens_fde"] = doc["tokens"]
            lines.append(json.dumps({"index": {"_id": str(i)}}))
            lines.append(json.dumps(doc))
        result = call(url, "POST", "/fz_bench/_bulk", "\n".join(lines) + "\n", ndjson=True)
        assert not result["errors"], "bulk failed"
    call(url, "POST", "/fz_bench/_refresh")
    call(url, "POST", "/fz_bench/_forcemerge?max_num_segments=1")
    return centers64, centers32, time.time() - started


def subqueries(rng, centers64, centers32, window):
    c = rng.integers(0, 64)
    return [
        {"vector": {"field": "d64", "query_vector": np.round(centers64[c] + rng.normal(scale=0.6, size=64), 4).tolist(), "k": window}},
        {"vector": {"field": "tokens", "query_vectors": np.round(centers32[rng.integers(0, 64, 4)], 4).tolist(), "k": window}},
        {"vector": {"field": "d32", "query_vector": np.round(centers32[c] + rng.normal(scale=0.6, size=32), 4).tolist(), "k": window}},
        {"match": {"title": " ".join(rng.choice(WORDS, 2))}},
    ]


# the same fusion naming its documents by _id, as before lists by reference
BY_ID = {"multivector": {"fusion_by_reference": False}}


def search(url, body, params=""):
    return call(url, "POST", "/fz_bench/_search" + params, body)


def rrf(lists, k=60):
    scores = {}
    for hits in lists:
        for rank, doc in enumerate(hits, 1):
            scores[doc] = scores.get(doc, 0) + 1 / (k + rank)
    return sorted(scores, key=lambda d: -scores[d])[:10]


def interleaved(variants, repeats):
    """p50 / p99 per variant; each query runs every variant in turn, so a burst of load on this shared machine
    falls on all of them alike rather than on whichever row was running."""
    samples = {name: [] for name in variants}
    for i in range(repeats):
        for name, fn in variants.items():
            started = time.perf_counter()
            fn(i)
            samples[name].append((time.perf_counter() - started) * 1000)
    return {name: percentiles(s) for name, s in samples.items()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:9200")
    parser.add_argument("--docs", type=int, default=50_000)
    parser.add_argument("--shards", type=int, default=3)
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--window", type=int, default=100)
    parser.add_argument("--first-stage", action="store_true",
                        help="only: fusion with the MaxSim subquery exact vs through the first-stage index (fde_hnsw)")
    args = parser.parse_args()
    rng = np.random.default_rng(7)
    model, flags = cpu()
    centers64, centers32, build_s = build(args.url, args, rng)
    url, window = args.url, args.window
    # lets a fusion of vector subqueries run as one search (plugins.multivector.fusion.one_search: auto decides)
    call(url, "PUT", "/_cluster/settings", {"persistent": {"cluster.search.enabled_system_generated_factories": ["multivector_fusion_lists"]}})
    call(url, "PUT", "/_search/pipeline/hybrid_rrf", {"phase_results_processors": [{"score-ranker-processor": {
        "combination": {"technique": "rrf", "rank_constant": 60}}}]})
    workload = [subqueries(rng, centers64, centers32, window) for _ in range(args.queries)]
    print(f"CPU: {model} [{' '.join(flags)}]; {args.docs} docs, {args.shards} shards, built in {build_s:.0f} s; "
          f"{args.queries} queries per row, window {window}, size 10")
    for _ in range(3):  # JIT and caches: every path, each subquery alone too (a first pass is ~2x slower)
        for warm in workload:
            for q in warm:
                search(url, {"size": window, "_source": False, "query": q})
            search(url, {"size": 10, "_source": False, "query": {"fusion": {"queries": warm}}})
            search(url, {"size": 10, "_source": False, "query": {"fusion": {"queries": warm}}, "ext": BY_ID})
            search(url, {"size": 10, "_source": False, "query": {"hybrid": {"queries": warm, "pagination_depth": window}}},
                   "?search_pipeline=hybrid_rrf")
    if args.first_stage:
        first_stage(url, workload, window, args.queries)
        return
    pool = ThreadPoolExecutor(max_workers=4)
    print()
    print("| N | slowest subquery alone p50 / p99 ms | fusion p50 / p99 ms | fusion by _id p50 / p99 | "
          "client-side sequential p50 / p99 | client-side parallel p50 / p99 | hybrid (rrf) p50 / p99 | "
          "fusion vs by _id | fusion vs client-side (parallel) | fusion vs hybrid |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for n in (2, 3, 4):
        def client_side(i, parallel):
            bodies = [{"size": window, "_source": False, "query": q} for q in workload[i][:n]]
            if parallel:
                responses = list(pool.map(lambda b: search(url, b), bodies))
            else:
                responses = [search(url, b) for b in bodies]
            rrf([[h["_id"] for h in r["hits"]["hits"]] for r in responses])
        variants = {f"alone {j}": (lambda i, j=j: search(url, {"size": window, "_source": False, "query": workload[i][j]})) for j in range(n)}
        variants.update({
            "fusion": lambda i: search(url, {"size": 10, "_source": False, "query": {"fusion": {"queries": workload[i][:n], "window_size": window}}}),
            "by_id": lambda i: search(url, {"size": 10, "_source": False, "query": {"fusion": {"queries": workload[i][:n], "window_size": window}},
                                            "ext": BY_ID}),
            "sequential": lambda i: client_side(i, False),
            "parallel": lambda i: client_side(i, True),
            "hybrid": lambda i: search(url, {"size": 10, "_source": False, "query": {"hybrid": {"queries": workload[i][:n], "pagination_depth": window}}},
                                       "?search_pipeline=hybrid_rrf"),
        })
        t = interleaved(variants, args.queries)
        slowest = max((t[f"alone {j}"] for j in range(n)), key=lambda p: p[0])
        fused, by_id, sequential, parallel, hybrid = t["fusion"], t["by_id"], t["sequential"], t["parallel"], t["hybrid"]
        print(f"| {n} | {slowest[0]:.1f} / {slowest[1]:.1f} | {fused[0]:.1f} / {fused[1]:.1f} | {by_id[0]:.1f} / {by_id[1]:.1f} "
              f"| {sequential[0]:.1f} / {sequential[1]:.1f} | {parallel[0]:.1f} / {parallel[1]:.1f} | {hybrid[0]:.1f} / {hybrid[1]:.1f} "
              f"| {by_id[0] / fused[0]:.2f}x | {parallel[0] / fused[0]:.2f}x | {hybrid[0] / fused[0]:.2f}x |")
    stats = next(iter(call(url, "GET", "/_plugins/_multivector/stats")["nodes"].values()))["fusion"]
    print(f"\nFusions run as one search (lists fused between the query and fetch phases): {stats['one_search']} of {stats['total']}")
    # fixed cost of the second round: a fusion of one subquery against that subquery alone
    t = interleaved({
        "one": lambda i: search(url, {"size": 10, "_source": False, "query": {"fusion": {"queries": workload[i][3:4], "window_size": window}}}),
        "alone": lambda i: search(url, {"size": window, "_source": False, "query": workload[i][3]})}, args.queries)
    one, alone = t["one"], t["alone"]
    print(f"\nFixed cost of fusing (fusion of the match subquery alone minus the match alone, p50): {one[0] - alone[0]:.1f} ms")
    # pages: is page 2 (from 10, size 10) items 11-20 of the size-20 list?
    ours_bad = hybrid_bad = 0
    for queries in workload:
        full = [h["_id"] for h in search(url, {"size": 20, "_source": False, "query": {"fusion": {"queries": queries}}})["hits"]["hits"]]
        page = [h["_id"] for h in search(url, {"from": 10, "size": 10, "_source": False, "query": {"fusion": {"queries": queries}}})["hits"]["hits"]]
        ours_bad += page != full[10:20]
        full = [h["_id"] for h in search(url, {"size": 20, "_source": False, "query": {"hybrid": {"queries": queries, "pagination_depth": 20}}},
                                         "?search_pipeline=hybrid_rrf")["hits"]["hits"]]
        page = [h["_id"] for h in search(url, {"from": 10, "size": 10, "_source": False, "query": {"hybrid": {"queries": queries,
                "pagination_depth": 10}}}, "?search_pipeline=hybrid_rrf")["hits"]["hits"]]
        hybrid_bad += page != full[10:20]
    print(f"Page 2 not a slice of the size-20 list: fusion {ours_bad}/{len(workload)}, "
          f"hybrid (pagination_depth = from + size) {hybrid_bad}/{len(workload)}")


def first_stage(url, workload, window, repeats):
    """The MaxSim subquery of a 3-way fusion (d64, tokens, match) exact against through the first-stage index: latency of
    the subquery alone and of the fusion, and how many of the fused top 10 stay the same."""
    def with_field(queries, field):
        return [{"vector": {**q["vector"], "field": field}} if q.get("vector", {}).get("field") == "tokens" else q for q in queries]

    def fused(i, field):
        body = {"size": 10, "_source": False, "query": {"fusion": {"queries": with_field(workload[i][:2] + workload[i][3:4], field),
                                                                    "window_size": window}}}
        return [h["_id"] for h in search(url, body)["hits"]["hits"]]

    t = interleaved({
        "exact alone": lambda i: search(url, {"size": window, "_source": False, "query": with_field(workload[i][1:2], "tokens")[0]}),
        "first-stage alone": lambda i: search(url, {"size": window, "_source": False, "query": with_field(workload[i][1:2], "tokens_fde")[0]}),
        "exact fusion": lambda i: fused(i, "tokens"),
        "first-stage fusion": lambda i: fused(i, "tokens_fde")}, repeats)
    same = sum(len(set(fused(i, "tokens")) & set(fused(i, "tokens_fde"))) for i in range(repeats)) / (10 * repeats)
    print("\n| MaxSim subquery | alone p50 / p99 ms | in fusion (d64 + MaxSim + match) p50 / p99 ms |")
    print("|---|---|---|")
    for name in ("exact", "first-stage"):
        alone, fusion = t[f"{name} alone"], t[f"{name} fusion"]
        print(f"| {name} | {alone[0]:.1f} / {alone[1]:.1f} | {fusion[0]:.1f} / {fusion[1]:.1f} |")
    print(f"\nFused top 10 the same with the first-stage subquery as with the exact one: {same:.3f}; "
          f"fusion with first stage vs exact (p50): {t['exact fusion'][0] / t['first-stage fusion'][0]:.2f}x")


if __name__ == "__main__":
    main()
