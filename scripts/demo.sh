#!/usr/bin/env bash
# Builds the plugin, starts a node with it, shows what it does, and stops the node again.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
find_jdk
PORT=${PORT:-9200}
URL=http://127.0.0.1:$PORT
DIR=$ROOT/target/demo-cluster

echo "== building the plugin (JAVA_HOME=$JAVA_HOME)"
mvn_batch package -DskipTests -pl plugin -am
trap '"$ROOT/scripts/cluster.sh" stop --dir "$DIR"' EXIT
"$ROOT/scripts/cluster.sh" start --dir "$DIR" --port "$PORT"

show() { # title, method, path, [body]
  echo; echo "== $1"; echo "\$ curl -X$2 '$URL$3'${4:+ -d '$4'}"
  curl -sS -X"$2" "$URL$3?pretty" -H 'Content-Type: application/json' ${4:+-d "$4"}
  echo
}

show "what the plugin registers in this node" GET /_plugins/_multivector

show "an index with a text field, a dense vector (one per model) and a token matrix (late interaction)" PUT /demo '{
  "settings": {"index.multivector": true, "index.default_pipeline": "embed"},
  "mappings": {"properties": {
    "description": {"type": "text"},
    "desc_minilm": {"type": "dense_vector", "dims": 384, "similarity": "cosine", "model": "minilm"},
    "desc_tokens": {"type": "multi_vector", "dims": 384, "model": "minilm-tokens"}}}}'

show "an ingest pipeline that turns one text into both kinds of vectors, with the models inside the node" \
  PUT /_ingest/pipeline/embed '{"processors": [{"multivector_embed": {"field_map": {
    "description": {"desc_minilm": "minilm", "desc_tokens": "minilm-tokens"}}}}]}'

echo; echo "== indexing four documents (the pipeline embeds them)"
curl -sS -XPOST "$URL/demo/_bulk?refresh=true" -H 'Content-Type: application/x-ndjson' --data-binary $'
{"index": {"_id": "cat"}}
{"description": "A cat sits on the warm windowsill in the sun."}
{"index": {"_id": "stocks"}}
{"description": "Stock markets fell sharply after the interest rate decision."}
{"index": {"_id": "cake"}}
{"description": "The recipe needs flour, eggs, butter and sugar."}
{"index": {"_id": "rain"}}
{"description": "Heavy rain is expected across the north this weekend."}
' | python3 -c 'import json,sys; r=json.load(sys.stdin); print("errors:", r["errors"], "- items:", len(r["items"]))'

ranked() { # title, query json
  echo; echo "== $1"; echo "\$ curl -XPOST '$URL/demo/_search' -d '$2'"
  curl -sS -XPOST "$URL/demo/_search" -H 'Content-Type: application/json' -d "$2" | python3 -c '
import json, sys
for hit in json.load(sys.stdin)["hits"]["hits"]:
    print("  %8.4f  %-8s  %s" % (hit["_score"], hit["_id"], hit["_source"]["description"]))'
}
ranked "dense search, query text encoded in the node" \
  '{"_source": ["description"], "query": {"vector": {"field": "desc_minilm", "query_text": "a kitten resting in the sunlight", "k": 3}}}'
ranked "late interaction (MaxSim over token vectors), exact" \
  '{"_source": ["description"], "query": {"vector": {"field": "desc_tokens", "query_text": "baking a cake"}}}'
ranked "MaxSim as a rescorer over a keyword query" \
  '{"_source": ["description"], "query": {"match": {"description": "the"}}, "rescore": {"window_size": 10, "query": {"rescore_query": {"vector": {"field": "desc_tokens", "query_text": "a sweet recipe with flour"}}, "query_weight": 0}}}'
show "per-node model stats" GET /_plugins/_multivector/stats
