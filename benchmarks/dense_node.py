#!/usr/bin/env python3
"""Dense vector search through a real node: the multivector `dense_vector` field (float and int8) against
opensearch-knn's knn_vector (engine lucene), same vectors, same HNSW parameters, same node, same run.

Prints query latency (median and p99), recall@10 against exact search (numpy), and the bytes a search needs
in memory per index (HNSW graph + the vectors it scores), from the node's segment file sizes. Needs numpy.

Each index is built the same way: its documents are indexed one index after the other (so each shard flushes
its one segment itself, at refresh, instead of whichever shard the node's indexing-buffer controller picks when
three interleaved shards outgrow it: a segment merged from several flushes has another graph). Queries go
round-robin over the indices (a noisy neighbour slows all of them alike). The same effective ef is shown, not
assumed: the top num_candidates lists of knn (k = num_candidates) and of the float field (k = num_candidates)
are compared query by query; identical lists mean the same graph searched with the same ef.
Started by benchmarks/dense-node.sh, which brings up the node with both plugins.
"""
import argparse
import json
import os
import statistics
import time
import urllib.request

import numpy as np
from machine import cpu


def call(url, method, path, body=None, ndjson=False):
    data = None if body is None else (body if ndjson else json.dumps(body)).encode()
    request = urllib.request.Request(url + path, data=data, method=method,
                                     headers={"Content-Type": "application/x-ndjson" if ndjson else "application/json"})
    with urllib.request.urlopen(request, timeout=600) as response:
        return json.loads(response.read())


def vector_file_sizes(url, index):
    """Bytes per index file extension, compound files included (the node lists their entries)."""
    stats = call(url, "GET", f"/{index}/_stats/segments?include_segment_file_sizes=true")
    files = stats["indices"][index]["primaries"]["segments"]["file_sizes"]
    return {ext: info["size_in_bytes"] for ext, info in files.items()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:9200")
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--dims", type=int, default=128)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--num-candidates", type=int, default=100)
    parser.add_argument("--shards", type=int, default=1)
    args = parser.parse_args()
    rng = np.random.default_rng(42)
    centers = rng.normal(size=(256, args.dims)).astype(np.float32)
    vectors = (centers[rng.integers(0, 256, args.docs)] + rng.normal(scale=0.5, size=(args.docs, args.dims))).astype(np.float32)
    queries = (centers[rng.integers(0, 256, args.queries)] + rng.normal(scale=0.5, size=(args.queries, args.dims))).astype(np.float32)
    url = args.url
    hnsw = {"m": 16, "ef_construction": 100}
    indices = {
        "mv_float": {"settings": {"index.multivector": True},
                     "mappings": {"properties": {"v": {"type": "dense_vector", "dims": args.dims, "similarity": "l2",
                                                       "index_options": dict(hnsw, element_type="float")}}}},
        "mv_int8": {"settings": {"index.multivector": True},
                    "mappings": {"properties": {"v": {"type": "dense_vector", "dims": args.dims, "similarity": "l2",
                                                      "index_options": dict(hnsw, element_type="int8")}}}},
        "knn_lucene": {"settings": {"index.knn": True},
                       "mappings": {"properties": {"v": {"type": "knn_vector", "dimension": args.dims, "method": {
                           "name": "hnsw", "engine": "lucene", "space_type": "l2", "parameters": hnsw}}}}},
    }
    for name, body in indices.items():
        try:
            call(url, "DELETE", f"/{name}")
        except Exception:
            pass
        body["settings"].update({"number_of_shards": args.shards, "number_of_replicas": 0, "refresh_interval": -1})
        body["mappings"]["_source"] = {"enabled": False}
        call(url, "PUT", f"/{name}", body)
    model, flags = cpu()
    print(f"CPU: {model} ({', '.join(flags) or 'no AVX2'}), {os.cpu_count()} cores")
    start = time.perf_counter()
    for name in indices:  # one index after the other: every shard flushes its own segment once
        for lo in range(0, args.docs, 2000):
            lines = []
            for i in range(lo, min(lo + 2000, args.docs)):
                lines += [json.dumps({"index": {"_id": str(i)}}), json.dumps({"v": [round(float(x), 5) for x in vectors[i]]})]
            response = call(url, "POST", f"/{name}/_bulk", "\n".join(lines) + "\n", ndjson=True)
            assert not response["errors"], json.dumps(response)[:1000]
        call(url, "POST", f"/{name}/_refresh")
        flushed = call(url, "GET", f"/{name}/_stats/segments")["indices"][name]["primaries"]["segments"]["count"]
        call(url, "POST", f"/{name}/_forcemerge?max_num_segments=1")
        call(url, "POST", f"/{name}/_refresh")  # searchers open the merged segment only after a refresh
        print(f"  {name}: {flushed} segment(s) flushed, force-merged to 1 per shard")
    print(f"indexed {args.docs} x {args.dims} into {len(indices)} indices in {time.perf_counter() - start:.0f} s")

    distances = ((queries[:, None, :] - vectors[None, :, :]) ** 2).sum(-1) if args.docs * args.queries <= 5e7 else None
    truth = []
    for q in range(args.queries):
        d = distances[q] if distances is not None else ((vectors - queries[q]) ** 2).sum(-1)
        truth.append(set(np.argpartition(d, args.k)[:args.k].tolist()))

    def body_for(name, q):
        vector = [float(x) for x in queries[q]]
        if name == "knn_lucene":  # k = candidates kept by the graph search, size = hits: the same breadth as ours
            return {"size": args.k, "_source": False, "query": {"knn": {"v": {"vector": vector, "k": args.num_candidates}}}}
        return {"size": args.k, "_source": False,
                "query": {"vector": {"field": "v", "query_vector": vector, "k": args.k, "num_candidates": args.num_candidates}}}

    names = list(indices)
    for q in range(min(20, args.queries)):  # warm-up
        for name in names:
            call(url, "POST", f"/{name}/_search", body_for(name, q))
    latencies = {name: [] for name in names}
    recall = {name: [] for name in names}
    for q in range(args.queries):  # round-robin, starting with another index each query
        for j in range(len(names)):
            name = names[(q + j) % len(names)]
            t = time.perf_counter()
            hits = call(url, "POST", f"/{name}/_search?request_cache=false", body_for(name, q))["hits"]["hits"]
            latencies[name].append((time.perf_counter() - t) * 1000)
            recall[name].append(len({int(h["_id"]) for h in hits} & truth[q]) / args.k)
    results = {}
    for name in names:
        files = vector_file_sizes(url, name)
        search_bytes = files.get("vex", 0) + (files.get("veq", 0) if name == "mv_int8" else files.get("vec", 0))
        ordered = sorted(latencies[name])
        results[name] = (statistics.median(ordered), ordered[int(0.99 * (len(ordered) - 1))], statistics.mean(recall[name]), search_bytes)

    nc = args.num_candidates
    same = 0
    checked = min(50, args.queries)
    for q in range(checked):  # the same effective ef: both return the whole candidate list of the graph search
        vector = [float(x) for x in queries[q]]
        theirs = call(url, "POST", "/knn_lucene/_search", {"size": nc, "_source": False,
                                                            "query": {"knn": {"v": {"vector": vector, "k": nc}}}})["hits"]["hits"]
        ours = call(url, "POST", "/mv_float/_search", {"size": nc, "_source": False, "query": {"vector": {
            "field": "v", "query_vector": vector, "k": nc, "num_candidates": nc}}})["hits"]["hits"]
        same += [h["_id"] for h in theirs] == [h["_id"] for h in ours]

    print(f"\nkNN through one node, {args.shards} shard(s), {args.docs} vectors x {args.dims} dims (l2), k={args.k}, "
          f"num_candidates={args.num_candidates}, m=16, ef_construction=100, {args.queries} queries, one at a time, round-robin over the indices")
    print(f"{'index':<40}{'median ms':>10}{'p99 ms':>9}{'recall@10':>11}{'search memory':>16}{'vs knn':>9}")
    base = results["knn_lucene"]
    labels = {"knn_lucene": "opensearch-knn knn_vector (lucene engine)", "mv_float": "multivector dense_vector float",
              "mv_int8": "multivector dense_vector int8"}
    for name in ("knn_lucene", "mv_float", "mv_int8"):
        median, p99, recall, memory = results[name]
        print(f"{labels[name]:<40}{median:>10.2f}{p99:>9.2f}{recall:>11.3f}{memory / 2**20:>13.1f} MB"
              f"{base[0] / median:>8.2f}x")
    print(f"int8 memory saving against float: {results['mv_float'][3] / results['mv_int8'][3]:.2f}x less")
    print(f"same effective ef: knn k={nc} and dense_vector float num_candidates={nc} return identical top-{nc} lists "
          f"for {same} of {checked} queries")


if __name__ == "__main__":
    main()
