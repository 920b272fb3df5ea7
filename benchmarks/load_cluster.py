"""Load on a 3-node cluster: searchers (dense, MaxSim, fusion in turn) and one pipeline ingester against random nodes,
for a fixed time; then the same while one node is SIGKILLed and started again. A request whose node is down (no
connection) is sent to another node, as a client that knows the cluster's nodes does: counted as `retried`; anything
else that is not a 2xx (or a bulk item that failed) is an error."""
import argparse
import json
import random
import subprocess
import threading
import time
import urllib.error
import urllib.request

from machine import cpu

WORDS = ("cat dog river mountain bread butter sugar market stock price engine wheel garden flower rain snow winter summer "
         "ship harbor train station music guitar piano song doctor patient school teacher book library window sun moon").split()


def text(rng):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 18))) + "."


class Cluster:
    def __init__(self, port, nodes=3):
        self.ports = [port + i for i in range(nodes)]

    def call(self, method, path, body=None, ndjson=False, port=None, timeout=60):
        data = None if body is None else (body if ndjson else json.dumps(body)).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{port or self.ports[0]}{path}", data=data, method=method,
                                         headers={"Content-Type": "application/x-ndjson" if ndjson else "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.load(response)

    def any_node(self, method, path, body=None, ndjson=False, stats=None):
        """Sends to a random node; a node that does not answer is skipped for the next one."""
        ports = random.sample(self.ports, len(self.ports))
        for i, port in enumerate(ports):
            try:
                return self.call(method, path, body, ndjson, port)
            except (ConnectionError, urllib.error.URLError, TimeoutError) as e:
                if isinstance(e, urllib.error.HTTPError) or i == len(ports) - 1:
                    raise
                if stats is not None:
                    stats["retried"] += 1


def error_text(e):
    if isinstance(e, urllib.error.HTTPError):
        return f"{e.code}: {e.read()[:300]!r}"
    return repr(e)


def searches(q):
    tokens = {"vector": {"field": "tokens", "query_text": q, "k": 10}}
    dense = {"vector": {"field": "dense", "query_text": q, "k": 10}}
    return [("dense", {"size": 10, "_source": False, "query": dense}),
            ("maxsim", {"size": 10, "_source": False, "query": tokens}),
            ("fusion", {"size": 10, "_source": False, "query": {"fusion": {"queries": [{"match": {"body": q}}, dense, tokens]}}})]


def run_phase(cluster, seconds, searchers, next_id, fault=None):
    stats = {k: {"lat": [], "errors": 0, "retried": 0, "why": []} for k in ("dense", "maxsim", "fusion", "ingest")}
    stop = time.time() + seconds
    lock = threading.Lock()

    def record(kind, started, ok, retried, why=None):
        with lock:
            s = stats[kind]
            s["retried"] += retried["retried"]
            if ok:
                s["lat"].append(time.time() - started)
            else:
                s["errors"] += 1
                if len(s["why"]) < 3:
                    s["why"].append(str(why)[:300])

    def searcher(seed):
        rng = random.Random(seed)
        i = 0
        while time.time() < stop:
            kind, body = searches(text(rng))[i % 3]
            i += 1
            started, retried = time.time(), {"retried": 0}
            try:
                response = cluster.any_node("POST", "/load/_search", body, stats=retried)
                record(kind, started, response["_shards"]["failed"] == 0, retried, response["_shards"])
            except Exception as e:
                record(kind, started, False, retried, error_text(e))

    def ingester():
        rng = random.Random(7)
        while time.time() < stop:
            with lock:
                first = next_id[0]
                next_id[0] += 10
            bulk = "".join(json.dumps({"index": {"_id": f"d{n}"}}) + "\n" + json.dumps({"body": text(rng)}) + "\n"
                           for n in range(first, first + 10))
            started, retried = time.time(), {"retried": 0}
            try:
                response = cluster.any_node("POST", "/load/_bulk", bulk, ndjson=True, stats=retried)
                record("ingest", started, not response["errors"], retried, [i for i in response["items"] if i["index"].get("error")][:1])
            except Exception as e:
                record("ingest", started, False, retried, error_text(e))

    threads = [threading.Thread(target=searcher, args=(s,)) for s in range(searchers)] + [threading.Thread(target=ingester)]
    for t in threads:
        t.start()
    fault_result = fault() if fault else None
    for t in threads:
        t.join()
    return stats, fault_result


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))] * 1000 if values else float("nan")


def report(title, stats, seconds):
    print(f"\n{title}")
    print(f"| operation | done | per second | p50 ms | p99 ms | errors | retried on another node |")
    print("|---|---|---|---|---|---|---|")
    for kind, s in stats.items():
        unit = " (bulks of 10 docs)" if kind == "ingest" else ""
        print(f"| {kind}{unit} | {len(s['lat'])} | {len(s['lat']) / seconds:.1f} | {pct(s['lat'], 50):.0f} | {pct(s['lat'], 99):.0f} "
              f"| {s['errors']} | {s['retried']} |")
    for kind, s in stats.items():
        for why in s["why"]:
            print(f"  {kind} error: {why}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=9280)
    parser.add_argument("--launcher", required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--searchers", type=int, default=4)
    parser.add_argument("--docs", type=int, default=1000)
    args = parser.parse_args()
    model, flags = cpu()
    print(f"machine: {model}; flags: {' '.join(flags)}; 3 nodes on one machine")
    cluster = Cluster(args.port)
    cluster.call("PUT", "/_ingest/pipeline/embed", {"processors": [{"multivector_embed": {
        "field_map": {"body": {"dense": "minilm", "tokens": "minilm-tokens"}}}}]})
    cluster.call("PUT", "/load", {
        "settings": {"index.multivector": True, "index.default_pipeline": "embed", "number_of_shards": 3, "number_of_replicas": 1},
        "mappings": {"properties": {"body": {"type": "text"},
                                    "dense": {"type": "dense_vector", "dims": 384, "similarity": "cosine", "model": "minilm"},
                                    "tokens": {"type": "multi_vector", "dims": 384, "element_type": "int8", "model": "minilm-tokens"}}}})
    rng = random.Random(1)
    for first in range(0, args.docs, 100):
        bulk = "".join(json.dumps({"index": {"_id": f"p{n}"}}) + "\n" + json.dumps({"body": text(rng)}) + "\n"
                       for n in range(first, min(args.docs, first + 100)))
        assert not cluster.call("POST", "/load/_bulk", bulk, ndjson=True, timeout=600)["errors"]
    cluster.call("POST", "/load/_refresh")
    print(f"{args.docs} documents preloaded; {args.searchers} searchers + 1 ingester, {args.seconds} s per phase")
    next_id = [0]
    run_phase(cluster, max(10, args.seconds // 4), args.searchers, next_id)  # warm-up (models loaded, JIT), not reported
    stats, _ = run_phase(cluster, args.seconds, args.searchers, next_id)
    report("steady: 3 nodes up", stats, args.seconds)

    def kill_and_restart():
        time.sleep(args.seconds / 6)
        pids = dict(line.split() for line in subprocess.check_output([args.launcher, "pids", "--dir", args.dir], text=True).splitlines())
        node = random.Random(3).choice(sorted(pids))
        killed = time.time()
        subprocess.check_call(["kill", "-9", pids[node]])
        time.sleep(2)
        subprocess.check_call([args.launcher, "start-node", "--node", node.split("-")[1], "--dir", args.dir],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while True:
            try:
                health = cluster.any_node("GET", "/_cluster/health?wait_for_status=green&wait_for_nodes=3&timeout=10s")
                if health["status"] == "green" and not health["timed_out"]:
                    return node, time.time() - killed
            except Exception:
                time.sleep(1)

    stats, (node, green) = run_phase(cluster, args.seconds, args.searchers, next_id, kill_and_restart)
    report(f"faults: {node} SIGKILLed at {args.seconds // 6} s and started again; green again {green:.0f} s after the kill", stats, args.seconds)
    cluster.any_node("POST", "/load/_refresh")
    print(f"\ncount: {cluster.any_node('GET', '/load/_count')['count']} documents, {next_id[0] + args.docs} sent")


if __name__ == "__main__":
    main()
