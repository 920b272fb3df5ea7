#!/usr/bin/env python3
"""Ingest throughput through a real node: man-page paragraphs indexed through a multivector_embed pipeline
that runs the bundled models (dense and per-token) in the node, against the same bulk requests without the
pipeline. Started by benchmarks/ingest-node.sh."""
import argparse
import gzip
import json
import os
import time
import urllib.request


def call(url, method, path, body=None, ndjson=False):
    data = None if body is None else (body if ndjson else json.dumps(body)).encode()
    request = urllib.request.Request(url + path, data=data, method=method,
                                     headers={"Content-Type": "application/x-ndjson" if ndjson else "application/json"})
    with urllib.request.urlopen(request, timeout=900) as response:
        return json.loads(response.read())


def paragraphs(n):
    out = []
    for name in sorted(os.listdir("/usr/share/man/man1")):
        try:
            with gzip.open(os.path.join("/usr/share/man/man1", name), "rt", errors="replace") as f:
                text = []
                for line in f:
                    if line.startswith((".", "'")) or not line.strip():
                        if len(" ".join(text)) > 80:
                            out.append(" ".join(text)[:600].replace("\\fB", "").replace("\\fR", "").replace("\\fI", ""))
                            if len(out) == n:
                                return out
                        text = []
                    else:
                        text.append(line.strip())
        except (OSError, EOFError):
            continue
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:9200")
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--bulk", type=int, default=100)
    args = parser.parse_args()
    url, texts = args.url, paragraphs(args.docs)
    call(url, "PUT", "/_ingest/pipeline/bench_embed", {"processors": [{"multivector_embed": {"field_map": {
        "description": {"desc_minilm": "minilm", "desc_tokens": "minilm-tokens"}}}}]})
    results = {}
    for name, pipeline in (("plain", None), ("embedded", "bench_embed")):
        try:
            call(url, "DELETE", f"/ingest_{name}")
        except Exception:
            pass
        call(url, "PUT", f"/ingest_{name}", {"settings": {"index.multivector": True, "number_of_shards": 1, "number_of_replicas": 0},
             "mappings": {"properties": {"description": {"type": "text"},
                                         "desc_minilm": {"type": "dense_vector", "dims": 384, "model": "minilm"},
                                         "desc_tokens": {"type": "multi_vector", "dims": 384, "model": "minilm-tokens"}}}})
        start = time.perf_counter()
        for lo in range(0, len(texts), args.bulk):
            lines = []
            for i in range(lo, min(lo + args.bulk, len(texts))):
                lines += [json.dumps({"index": {"_id": str(i)}}), json.dumps({"description": texts[i]})]
            path = f"/ingest_{name}/_bulk" + (f"?pipeline={pipeline}" if pipeline else "")
            response = call(url, "POST", path, "\n".join(lines) + "\n", ndjson=True)
            assert not response["errors"], json.dumps(response)[:1000]
        results[name] = len(texts) / (time.perf_counter() - start)
    stats = call(url, "GET", "/_plugins/_multivector/stats")
    models = next(iter(stats["nodes"].values()))["models"]
    print(f"\n{len(texts)} man-page paragraphs (avg {sum(map(len, texts)) / len(texts):.0f} chars), bulks of {args.bulk}, one node")
    print(f"{'bulk indexing':<56}{'docs/s':>10}")
    print(f"{'without pipeline':<56}{results['plain']:>10.1f}")
    print(f"{'multivector_embed: minilm + minilm-tokens in the node':<56}{results['embedded']:>10.1f}")
    for model in ("minilm", "minilm-tokens"):
        m = models[model]
        print(f"  {model}: {m['inferences']} batches, {m['documents']} texts, batch latency mean {m['latency_ms']['mean']:.0f} ms, "
              f"p99 {m['latency_ms']['p99']:.0f} ms")


if __name__ == "__main__":
    main()
