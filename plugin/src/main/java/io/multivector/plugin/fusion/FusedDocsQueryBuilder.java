package io.multivector.plugin.fusion;

import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.opensearch.core.common.ParsingException;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.AbstractQueryBuilder;
import org.opensearch.index.query.QueryShardContext;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@code fusion} query becomes once fused on the coordinating node: the fused list itself, with the
 * details explanations and {@code _fusion} show. The normal query and fetch phases then run on it, so pages,
 * highlighting, {@code _source}, {@code fields}, aggregations and {@code post_filter} work as for any query.
 */
public final class FusedDocsQueryBuilder extends AbstractQueryBuilder<FusedDocsQueryBuilder> {

    public static final String NAME = "fused_docs";

    private final String method;
    private final List<String> subqueries;
    private final boolean subqueryScores;
    private final List<FusedHit> hits;

    FusedDocsQueryBuilder(String method, List<String> subqueries, boolean subqueryScores, List<FusedHit> hits) {
        this.method = method;
        this.subqueries = List.copyOf(subqueries);
        this.subqueryScores = subqueryScores;
        this.hits = List.copyOf(hits);
    }

    /** Finds {@code docs} (e.g. to read their {@code _id}s); their scores mean nothing. */
    static FusedDocsQueryBuilder lookup(List<RankedList.Doc> docs) {
        List<FusedHit> hits = new ArrayList<>(docs.size());
        for (RankedList.Doc doc : docs) {
            hits.add(new FusedHit(doc, 1, false, 1, hits.size() + 1, new int[0], new float[0], new float[0]));
        }
        return new FusedDocsQueryBuilder("lookup", List.of(), false, hits);
    }

    public FusedDocsQueryBuilder(StreamInput in) throws IOException {
        super(in);
        method = in.readString();
        subqueries = in.readStringList();
        subqueryScores = in.readBoolean();
        int size = in.readVInt();
        List<FusedHit> read = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            read.add(new FusedHit(readDoc(in), in.readFloat(), in.readBoolean(), in.readFloat(),
                in.readVInt(), in.readVIntArray(), in.readFloatArray(), in.readFloatArray()));
        }
        hits = List.copyOf(read);
    }

    private static RankedList.Doc readDoc(StreamInput in) throws IOException {
        return new RankedList.Doc(in.readString(), in.readOptionalString(), in.readInt(), in.readInt(), in.readLong());
    }

    private static void writeDoc(StreamOutput out, RankedList.Doc doc) throws IOException {
        out.writeString(doc.index());
        out.writeOptionalString(doc.id());
        out.writeInt(doc.shard());
        out.writeInt(doc.luceneDoc());
        out.writeLong(doc.view());
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        out.writeString(method);
        out.writeStringCollection(subqueries);
        out.writeBoolean(subqueryScores);
        out.writeVInt(hits.size());
        for (FusedHit hit : hits) {
            writeDoc(out, hit.doc());
            out.writeFloat(hit.score());
            out.writeBoolean(hit.reranked());
            out.writeFloat(hit.fusedScore());
            out.writeVInt(hit.fusedRank());
            out.writeVIntArray(hit.ranks());
            out.writeFloatArray(hit.raw());
            out.writeFloatArray(hit.contributions());
        }
    }

    List<FusedHit> hits() {
        return hits;
    }

    boolean subqueryScores() {
        return subqueryScores;
    }

    @Override
    protected Query doToQuery(QueryShardContext context) {
        String index = context.index().getName();
        int shard = context.getShardId();
        // a list by reference names each document's shard; a list by id may hold it in any shard of its index
        List<FusedHit> here = hits.stream().filter(hit -> hit.doc().index().equals(index)
            && (hit.doc().isRef() == false || hit.doc().shard() == shard)).toList();
        if (here.isEmpty()) {
            return new MatchNoDocsQuery("no fused document in index [" + index + "]");
        }
        return new FusedDocsQuery(here.stream().map(FusedHit::doc).toList(), here.stream().map(FusedHit::score).toList(),
            i -> explain(here.get(i)), this);
    }

    /** The hit's score, from which fused rank, and each subquery's rank, raw score and weighted share. */
    Explanation explain(FusedHit hit) {
        List<Explanation> perSubquery = new ArrayList<>(subqueries.size());
        for (int i = 0; i < subqueries.size(); i++) {
            if (hit.ranks()[i] == 0) {
                perSubquery.add(Explanation.noMatch("subquery [" + subqueries.get(i) + "]: not in its list"));
            } else {
                perSubquery.add(Explanation.match(hit.contributions()[i], String.format(Locale.ROOT,
                    "subquery [%s]: rank %d, score %s (weighted contribution)", subqueries.get(i), hit.ranks()[i], hit.raw()[i])));
            }
        }
        Explanation fused = Explanation.match(hit.fusedScore(), String.format(Locale.ROOT, "fusion [%s] of %d subqueries: fused rank %d",
            method, subqueries.size(), hit.fusedRank()), perSubquery);
        if (hit.reranked() == false) {
            return fused;
        }
        return Explanation.match(hit.score(), "rerank score won: the [rerank] query's score replaces the fused score", fused);
    }

    /** The compact per-hit view ({@code subquery_scores: true}), returned under {@code fields._fusion}. */
    Map<String, Object> hitDetails(FusedHit hit) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("method", method);
        details.put("fused_rank", hit.fusedRank());
        details.put("fused_score", hit.fusedScore());
        if (hit.reranked()) {
            details.put("rerank_score", hit.score());
        }
        Map<String, Object> perSubquery = new LinkedHashMap<>();
        for (int i = 0; i < subqueries.size(); i++) {
            if (hit.ranks()[i] != 0) {
                perSubquery.put(subqueries.get(i), Map.of("rank", hit.ranks()[i], "score", hit.raw()[i]));
            }
        }
        details.put("subqueries", perSubquery);
        return details;
    }

    /**
     * Written by {@code fusion} (its XContent form carries everything, so a subquery that takes it as a filter can be
     * edited as JSON and parsed back); sent by hand it is a fixed list of documents with scores.
     */
    public static FusedDocsQueryBuilder fromXContent(XContentParser parser) throws IOException {
        Map<String, Object> body = parser.map();
        try {
            List<FusedHit> hits = new ArrayList<>();
            for (Object entry : (List<?>) body.get("docs")) {
                Map<?, ?> doc = (Map<?, ?>) entry;
                hits.add(new FusedHit(doc(doc), number(doc.get("score")),
                    Boolean.TRUE.equals(doc.get("reranked")), number(doc.get("fused_score")), ((Number) doc.get("fused_rank")).intValue(),
                    ((List<?>) doc.get("ranks")).stream().mapToInt(rank -> ((Number) rank).intValue()).toArray(),
                    floats(doc.get("scores")), floats(doc.get("contributions"))));
            }
            @SuppressWarnings("unchecked")
            List<String> subqueries = (List<String>) body.get("subqueries");
            FusedDocsQueryBuilder builder = new FusedDocsQueryBuilder((String) body.get("method"), subqueries,
                Boolean.TRUE.equals(body.get("subquery_scores")), hits);
            if (body.get(BOOST_FIELD.getPreferredName()) instanceof Number boost) {
                builder.boost(boost.floatValue());
            }
            return builder.queryName((String) body.get(NAME_FIELD.getPreferredName()));
        } catch (ClassCastException | NullPointerException e) {
            throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] is the list a [fusion] query writes: "
                + "method, subqueries and docs with _index, _id (or _ref: shard, Lucene doc, reader view), score, fused_score, fused_rank, ranks, scores and contributions", e);
        }
    }

    private static RankedList.Doc doc(Map<?, ?> doc) {
        if (doc.get("_ref") instanceof List<?> ref) {
            return RankedList.Doc.byRef((String) doc.get("_index"), ((Number) ref.get(0)).intValue(), ((Number) ref.get(1)).intValue(),
                ((Number) ref.get(2)).longValue());
        }
        return RankedList.Doc.byId((String) doc.get("_index"), (String) doc.get("_id"));
    }

    private static float number(Object value) {
        return ((Number) value).floatValue();
    }

    private static float[] floats(Object values) {
        List<?> list = (List<?>) values;
        float[] result = new float[list.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = number(list.get(i));
        }
        return result;
    }

    @Override
    protected void doXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject(NAME).field("method", method).field("subqueries", subqueries).field("subquery_scores", subqueryScores)
            .startArray("docs");
        for (FusedHit hit : hits) {
            builder.startObject().field("_index", hit.doc().index());
            if (hit.doc().isRef()) {
                builder.array("_ref", hit.doc().shard(), hit.doc().luceneDoc(), hit.doc().view());
            } else {
                builder.field("_id", hit.doc().id());
            }
            builder.field("score", hit.score())
                .field("reranked", hit.reranked()).field("fused_score", hit.fusedScore()).field("fused_rank", hit.fusedRank())
                .array("ranks", hit.ranks()).array("scores", hit.raw()).array("contributions", hit.contributions()).endObject();
        }
        builder.endArray();
        printBoostAndQueryName(builder);
        builder.endObject();
    }

    @Override
    protected boolean doEquals(FusedDocsQueryBuilder other) {
        return method.equals(other.method) && subqueries.equals(other.subqueries) && subqueryScores == other.subqueryScores
            && hits.size() == other.hits.size() && docsAndScores().equals(other.docsAndScores());
    }

    private List<Object> docsAndScores() {
        return hits.stream().map(hit -> (Object) List.of(hit.doc(), hit.score())).toList();
    }

    @Override
    protected int doHashCode() {
        return Objects.hash(method, subqueries, docsAndScores());
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }
}
