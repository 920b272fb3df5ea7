#!/usr/bin/env python3
"""Bytes on disk per token vector, through a real node: each multi_vector element type in its own index, against
the incumbent (vectors kept only in _source, as knn's lateInteractionScore reads them) and against the same
field with its vectors also kept verbatim in _source (what storing them twice costs). Each index is
force-merged to one segment; sizes are the primaries' store size. Started by benchmarks/storage-node.sh.
"""
import argparse
import json
import random
import time

from maxsim_node import call, clustered_matrices

ELEMENT_TYPES = ["float", "float16", "int8", "bit"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:9200")
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--tokens", type=int, default=64)
    parser.add_argument("--dims", type=int, default=128)
    args = parser.parse_args()
    docs, _ = clustered_matrices(random.Random(7), args.docs, args.tokens, args.dims)
    docs = [[[round(x, 6) for x in v] for v in m] for m in docs]
    total_vectors = sum(len(m) for m in docs)
    settings = {"number_of_shards": 1, "number_of_replicas": 0, "refresh_interval": -1}
    indices = {"source only (knn painless)": ("st_painless", {"settings": settings, "mappings": {"properties": {
        "tokens": {"type": "object", "enabled": False}}}}, lambda m: {"tokens": m})}
    for t in ELEMENT_TYPES:
        indices[f"multi_vector {t}"] = (f"st_{t}", {"settings": dict(settings, **{"index.multivector": True}), "mappings": {
            "properties": {"tokens": {"type": "multi_vector", "dims": args.dims, "element_type": t, "max_vectors": 4096}}}},
            lambda m: {"tokens": m})
    indices["multi_vector float + verbatim copy in _source"] = ("st_twice", {
        "settings": dict(settings, **{"index.multivector": True}), "mappings": {"properties": {
            "tokens": {"type": "multi_vector", "dims": args.dims, "max_vectors": 4096},
            "copy": {"type": "object", "enabled": False}}}}, lambda m: {"tokens": m, "copy": m})
    indices["multi_vector float, index.derived_source.enabled (no _source stored)"] = ("st_derived", {
        "settings": dict(settings, **{"index.multivector": True, "index.derived_source.enabled": True}), "mappings": {
            "properties": {"tokens": {"type": "multi_vector", "dims": args.dims, "max_vectors": 4096}}}}, lambda m: {"tokens": m})
    sizes, rates = {}, {}
    for label, (index, body, doc) in indices.items():
        try:
            call(args.url, "DELETE", f"/{index}")
        except Exception:
            pass
        call(args.url, "PUT", f"/{index}", body)
        bodies = []
        for start in range(0, len(docs), 50):
            lines = []
            for i, m in enumerate(docs[start:start + 50], start):
                lines += [json.dumps({"index": {"_id": str(i)}}), json.dumps(doc(m))]
            bodies.append("\n".join(lines) + "\n")
        started = time.perf_counter()
        for body_text in bodies:
            response = call(args.url, "POST", f"/{index}/_bulk", body_text, ndjson=True)
            assert not response["errors"], json.dumps(response)[:2000]
        rates[label] = len(docs) / (time.perf_counter() - started)
        call(args.url, "POST", f"/{index}/_refresh")
        call(args.url, "POST", f"/{index}/_forcemerge?max_num_segments=1&flush=true")
        stats = call(args.url, "GET", f"/{index}/_stats/store")
        sizes[label] = stats["indices"][index]["primaries"]["store"]["size_in_bytes"]
        call(args.url, "DELETE", f"/{index}")
    print(f"\nBytes on disk, one segment: {args.docs} docs x ~{args.tokens} tokens x {args.dims} dims "
          f"({total_vectors} token vectors)")
    print(f"{'index':<72}{'bytes':>14}{'B/vector':>10}{'vs source only':>16}{'bulk docs/s':>13}")
    base = sizes["source only (knn painless)"]
    for label, size in sizes.items():
        print(f"{label:<72}{size:>14,}{size / total_vectors:>10.1f}{size / base:>15.2f}x{rates[label]:>13.0f}")


if __name__ == "__main__":
    main()
