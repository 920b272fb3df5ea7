#!/usr/bin/env python3
"""MaxSim through a real node: the multivector `vector` query against opensearch-knn's Painless
lateInteractionScore over _source, same documents, same node, same run.

Prints documents scored per second for each, the ratio, and top-10 agreement of the quantized element types
with float. Started by benchmarks/maxsim-node.sh, which brings up the node with both plugins.
"""
import argparse
import base64
import json
import random
import statistics
import struct
import time
import urllib.request

ELEMENT_TYPES = ["float", "float16", "int8", "bit"]


def call(url, method, path, body=None, ndjson=False):
    data = None
    if body is not None:
        data = (body if ndjson else json.dumps(body)).encode()
    request = urllib.request.Request(url + path, data=data, method=method,
                                     headers={"Content-Type": "application/x-ndjson" if ndjson else "application/json"})
    with urllib.request.urlopen(request, timeout=600) as response:
        return json.loads(response.read())


def unit(v):
    norm = sum(x * x for x in v) ** 0.5 or 1.0
    return [x / norm for x in v]


def clustered_matrices(rng, n_docs, tokens, dims, n_centers=64):
    centers = [unit([rng.gauss(0, 1) for _ in range(dims)]) for _ in range(n_centers)]
    docs = []
    for _ in range(n_docs):
        topic = rng.sample(centers, 3)
        n = max(1, int(rng.gauss(tokens, tokens / 4)))
        noise = 0.6 / dims ** 0.5
        docs.append([unit([c + rng.gauss(0, noise) for c in rng.choice(topic)]) for _ in range(n)])
    return docs, centers


def timed_search(url, index, body, repeats):
    call(url, "POST", f"/{index}/_search", body)  # warm-up
    call(url, "POST", f"/{index}/_search", body)
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = call(url, "POST", f"/{index}/_search?request_cache=false", body)
        times.append(time.perf_counter() - start)
    return statistics.median(times), [h["_id"] for h in result["hits"]["hits"]]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:9200")
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--tokens", type=int, default=18)
    parser.add_argument("--dims", type=int, default=32)
    parser.add_argument("--query-vectors", type=int, default=8)
    parser.add_argument("--queries", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(42)
    url = args.url

    docs, centers = clustered_matrices(rng, args.docs, args.tokens, args.dims)
    for index in ("mv_bench", "painless_bench"):
        try:
            call(url, "DELETE", f"/{index}")
        except Exception:
            pass
    call(url, "PUT", "/mv_bench", {
        "settings": {"index.multivector": True, "number_of_shards": 1, "number_of_replicas": 0, "refresh_interval": -1},
        "mappings": {"_source": {"enabled": False}, "properties": {
            f"tokens_{t}": {"type": "multi_vector", "dims": args.dims, "similarity": "dot_product", "element_type": t,
                            "max_vectors": 4096} for t in ELEMENT_TYPES}}})
    call(url, "PUT", "/painless_bench", {
        "settings": {"number_of_shards": 1, "number_of_replicas": 0, "refresh_interval": -1},
        "mappings": {"properties": {"tokens": {"type": "object", "enabled": False}}}})
    chunk_size = max(10, 1000 * 18 * 32 // (args.tokens * args.dims))  # bulk bodies of ~10 MB at most
    for start in range(0, len(docs), chunk_size):
        chunk = docs[start:start + chunk_size]
        mv_lines, painless_lines = [], []
        for i, matrix in enumerate(chunk, start):
            rounded = [[round(x, 6) for x in v] for v in matrix]
            # our field takes little-endian float32 as base64: ~4x smaller bulk bodies than JSON numbers
            packed = base64.b64encode(struct.pack(f"<{len(rounded) * args.dims}f", *[x for v in rounded for x in v])).decode()
            mv_lines += [json.dumps({"index": {"_id": str(i)}}), json.dumps({f"tokens_{t}": packed for t in ELEMENT_TYPES})]
            painless_lines += [json.dumps({"index": {"_id": str(i)}}), json.dumps({"tokens": rounded})]
        for index, lines in (("mv_bench", mv_lines), ("painless_bench", painless_lines)):
            response = call(url, "POST", f"/{index}/_bulk", "\n".join(lines) + "\n", ndjson=True)
            assert not response["errors"], json.dumps(response)[:2000]
    for index in ("mv_bench", "painless_bench"):
        call(url, "POST", f"/{index}/_refresh")
        call(url, "POST", f"/{index}/_forcemerge?max_num_segments=1")
        call(url, "POST", f"/{index}/_refresh")  # searchers open the merged segment only after a refresh

    flops_per_doc = 2 * args.query_vectors * args.tokens * args.dims
    rates = {t: [] for t in ELEMENT_TYPES + ["painless"]}
    overlap = {t: [] for t in ELEMENT_TYPES}
    for _ in range(args.queries):
        topic = rng.choice(centers)
        noise = 0.6 / args.dims ** 0.5
        query = [unit([c + rng.gauss(0, noise) for c in rng.choice(centers)]) if q % 2 else unit([c + rng.gauss(0, noise) for c in topic]) for q in range(args.query_vectors)]
        query = [[round(x, 6) for x in v] for v in query]
        ids = {}
        for t in ELEMENT_TYPES:
            seconds, ids[t] = timed_search(url, "mv_bench", {
                "size": 10, "_source": False,
                "query": {"vector": {"field": f"tokens_{t}", "query_vectors": query}}}, args.repeats)
            rates[t].append(args.docs / seconds)
        seconds, painless_ids = timed_search(url, "painless_bench", {
            "size": 10, "_source": False,
            "query": {"script_score": {"query": {"match_all": {}}, "script": {
                "source": "lateInteractionScore(params.query_vector, 'tokens', params._source, params.space_type)",
                "params": {"query_vector": query, "space_type": "innerproduct"}}}}}, max(1, args.repeats // 2))
        rates["painless"].append(args.docs / seconds)
        for t in ELEMENT_TYPES:
            overlap[t].append(len(set(ids[t]) & set(ids["float"])) / 10)
        overlap.setdefault("painless_vs_float", []).append(len(set(painless_ids) & set(ids["float"])) / 10)

    median = {k: statistics.median(v) for k, v in rates.items()}
    kernels = call(url, "GET", "/_plugins/_multivector")["maxsim_kernels"]
    print(f"\nMaxSim through one node, 1 shard: {args.docs} docs x ~{args.tokens} tokens x {args.dims} dims, "
          f"{args.query_vectors} query vectors, median of {args.queries} queries x {args.repeats} runs; kernels: {', '.join(kernels)}")
    print(f"{'scorer':<34}{'docs/s':>12}{'GFLOP/s':>10}{'vs painless':>13}{'vs float':>10}{'top10 = float':>15}")
    print(f"{'knn lateInteractionScore (painless)':<34}{median['painless']:>12,.0f}"
          f"{median['painless'] * flops_per_doc / 1e9:>10.2f}{1:>12.1f}x{'':>10}"
          f"{statistics.mean(overlap['painless_vs_float']):>15.2f}")
    for t in ELEMENT_TYPES:
        print(f"{'multivector vector query, ' + t:<34}{median[t]:>12,.0f}{median[t] * flops_per_doc / 1e9:>10.2f}"
              f"{median[t] / median['painless']:>12.1f}x{median[t] / median['float']:>9.2f}x"
              f"{statistics.mean(overlap[t]):>15.2f}")


if __name__ == "__main__":
    main()
