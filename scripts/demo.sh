#!/usr/bin/env bash
# Builds the plugin, starts a node with it, and shows the product as users asked for it: one catalog embedded by
# several models into named spaces at ingest, each space searched alone, then one fused ranking over all of them
# (rrf, dbsf, weighted), filtered, reranked by MaxSim, and batched in _msearch. Stops the node again.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
find_jdk
PORT=${PORT:-9200}
URL=http://127.0.0.1:$PORT
DIR=$ROOT/target/demo-cluster
Q="warm jacket for cold weather"

echo "== building the plugin (JAVA_HOME=$JAVA_HOME)"
mvn_batch package -DskipTests -pl plugin -am
trap '"$ROOT/scripts/cluster.sh" stop --dir "$DIR"' EXIT
"$ROOT/scripts/cluster.sh" start --dir "$DIR" --port "$PORT"

quiet() { # method, path, [body]: prints the request as a copyable curl, then sends it (its answer is not shown)
  echo "\$ curl -X$1 '$URL$2' -H 'Content-Type: application/json'${3:+ -d '$3'}"
  curl -sS -X"$1" "$URL$2" -H 'Content-Type: application/json' ${3:+-d "$3"} >/dev/null
  echo
}

echo; echo "== one ingest pipeline: the description into a dense space and a token (late interaction) space, the"
echo "   visual description (standing in for a photo, which a registered CLIP model would embed) into a second dense space"
quiet PUT /_ingest/pipeline/catalog '{"processors": [{"multivector_embed": {"field_map": {
  "description": {"desc_minilm": "minilm", "desc_tokens": "minilm-tokens"},
  "visual": {"visual_minilm": "minilm"}}}}]}'
quiet PUT /products '{"settings": {"index.multivector": true, "index.default_pipeline": "catalog"},
  "mappings": {"properties": {
    "name": {"type": "text"}, "description": {"type": "text"}, "visual": {"type": "text"},
    "category": {"type": "keyword"}, "price": {"type": "float"},
    "desc_minilm": {"type": "dense_vector", "dims": 384, "model": "minilm"},
    "visual_minilm": {"type": "dense_vector", "dims": 384, "model": "minilm"},
    "desc_tokens": {"type": "multi_vector", "dims": 384, "model": "minilm-tokens"}}}}'
echo "== indexing the catalog (scripts/demo-catalog.jsonl) through the pipeline"
python3 -c '
import json, sys
for line in open(sys.argv[1]):
    doc = json.loads(line); print(json.dumps({"index": {"_id": doc.pop("_id")}})); print(json.dumps(doc))
' "$ROOT/scripts/demo-catalog.jsonl" | curl -sS -XPOST "$URL/products/_bulk?refresh=true" -H 'Content-Type: application/x-ndjson' \
  --data-binary @- | python3 -c 'import json,sys; r=json.load(sys.stdin); print("errors:", r["errors"], "- documents:", len(r["items"]))'

columns() { # prints several responses' hits side by side: title|response json ...
  python3 -c '
import json, sys
cols = [(a.split("|", 1)[0], json.loads(a.split("|", 1)[1])["hits"]["hits"]) for a in sys.argv[1:]]
print("   ".join("%-34s" % title for title, _ in cols))
for i in range(max(len(h) for _, h in cols)):
    print("   ".join("%-34s" % (("%.4f %s" % (h[i]["_score"], h[i]["_source"]["name"]))[:34] if i < len(h) else "") for _, h in cols))
' "$@"
}
search() { curl -sS -XPOST "$URL/products/_search" -H 'Content-Type: application/json' -d "$1"; }

BM25='{"multi_match": {"query": "'"$Q"'", "fields": ["name", "description"]}}'
DENSE='{"vector": {"field": "desc_minilm", "query_text": "'"$Q"'", "k": 50, "_name": "desc"}}'
VISUAL='{"vector": {"field": "visual_minilm", "query_text": "'"$Q"'", "k": 50, "_name": "visual"}}'
TOKENS='{"vector": {"field": "desc_tokens", "query_text": "'"$Q"'", "k": 50, "_name": "tokens"}}'
alone() { search '{"size": 5, "_source": ["name"], "query": '"$1"'}'; }
fused() { search '{"size": 5, "_source": ["name"], "query": {"fusion": {"queries": ['"$BM25,$DENSE,$VISUAL,$TOKENS"'], '"$1"'}}}'; }

echo; echo "== \"$Q\": each space alone (the subqueries below, each as its own query)"
echo "   bm25: $BM25"; echo "   desc: $DENSE"; echo "   visual: $VISUAL"; echo "   tokens: $TOKENS"
columns "bm25|$(alone "$BM25")" "desc (minilm)|$(alone "$DENSE")" "visual (minilm)|$(alone "$VISUAL")" "tokens (MaxSim)|$(alone "$TOKENS")"

echo; echo "== one request, one fused ranking: {\"query\": {\"fusion\": {\"queries\": [bm25, desc, visual, tokens], ...}}}"
columns "rrf|$(fused '"method": "rrf"')" "dbsf|$(fused '"method": "dbsf"')" \
  "linear, weights [0.3,1,0.5,1]|$(fused '"method": "linear", "weights": [0.3, 1, 0.5, 1]')"

echo; echo "== fused, filtered inside every subquery (category apparel), then post-filtered (price <= 100)"
BODY='{"size": 5, "_source": ["name", "price"], "query": {"fusion": {"queries": ['"$BM25,$DENSE,$VISUAL,$TOKENS"'],
  "filter": {"term": {"category": "apparel"}}}}, "post_filter": {"range": {"price": {"lte": 100}}}}'
echo "\$ curl -XPOST '$URL/products/_search' -d '$BODY'"
search "$BODY" | python3 -c '
import json, sys
for h in json.load(sys.stdin)["hits"]["hits"]: print("  %.4f  %-28s %6.2f" % (h["_score"], h["_source"]["name"], h["_source"]["price"]))'

echo; echo "== three stages in one request: prefetch from each dense space and BM25, fuse, rerank the top 10 by exact MaxSim"
BODY='{"size": 5, "_source": ["name"], "query": {"fusion": {"queries": ['"$BM25,$DENSE,$VISUAL"'],
  "rerank": {"window_size": 10, "query": {"vector": {"field": "desc_tokens", "query_text": "'"$Q"'"}}}}}}'
echo "\$ curl -XPOST '$URL/products/_search' -d '$BODY'"
columns "fused, reranked by MaxSim|$(search "$BODY")" "fused (rrf), no rerank|$(fused '"method": "rrf"')"

echo; echo "== a batch of fused searches in one _msearch"
MS=""
for text in "shoes for muddy trails" "something to make coffee" "stay warm while camping in snow"; do
  MS+='{"index": "products"}'$'\n''{"size": 3, "_source": ["name"], "query": {"fusion": {"queries": [{"match": {"description": "'"$text"'"}}, {"vector": {"field": "desc_minilm", "query_text": "'"$text"'", "k": 20}}, {"vector": {"field": "desc_tokens", "query_text": "'"$text"'", "k": 20}}]}}}'$'\n'
done
printf '%s' "$MS" | sed 's/^/  /'
printf '%s' "$MS" | curl -sS -XPOST "$URL/_msearch" -H 'Content-Type: application/x-ndjson' --data-binary @- | python3 -c '
import json, sys
for r, text in zip(json.load(sys.stdin)["responses"], ["shoes for muddy trails", "something to make coffee", "stay warm while camping in snow"]):
    print("  %-34s %s" % (text, ", ".join(h["_source"]["name"] for h in r["hits"]["hits"])))'
