package io.multivector.plugin.fusion;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.search.aggregations.InternalAggregation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The result of {@code top_doc_refs}: the best {@code size} documents by reference, best first. The reduce keeps the
 * global best {@code size} in the order a search's hits would have (equal scores by index, shard, then doc id), so the
 * list equals the hits of a search of that size.
 */
public final class InternalTopDocRefs extends InternalAggregation {

    /** Best first; equal scores by index, shard, then doc id (references have no _id), as a search's hits merge. */
    private static final Comparator<RankedList.Hit> ORDER = Comparator.comparingDouble((RankedList.Hit hit) -> -hit.score())
        .thenComparing(RankedList.Hit::doc, RankedList.Doc.ORDER);

    private final int size;
    private final List<RankedList.Hit> hits;

    InternalTopDocRefs(String name, int size, List<RankedList.Hit> hits, Map<String, Object> metadata) {
        super(name, metadata);
        this.size = size;
        this.hits = hits;
    }

    public InternalTopDocRefs(StreamInput in) throws IOException {
        super(in);
        size = in.readVInt();
        hits = readHits(in);
    }

    static List<RankedList.Hit> readHits(StreamInput in) throws IOException {
        int count = in.readVInt();
        List<RankedList.Hit> hits = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            RankedList.Doc doc = RankedList.Doc.byRef(in.readString(), in.readVInt(), in.readVInt(), in.readLong());
            hits.add(new RankedList.Hit(doc, in.readFloat()));
        }
        return hits;
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        out.writeVInt(size);
        writeHits(out, hits);
    }

    static void writeHits(StreamOutput out, List<RankedList.Hit> hits) throws IOException {
        out.writeVInt(hits.size());
        for (RankedList.Hit hit : hits) {
            out.writeString(hit.doc().index());
            out.writeVInt(hit.doc().shard());
            out.writeVInt(hit.doc().luceneDoc());
            out.writeLong(hit.doc().view());
            out.writeFloat(hit.score());
        }
    }

    /** Best first. */
    List<RankedList.Hit> hits() {
        return hits;
    }

    @Override
    public String getWriteableName() {
        return TopDocRefsAggregationBuilder.NAME;
    }

    @Override
    public InternalAggregation reduce(List<InternalAggregation> aggregations, ReduceContext reduceContext) {
        return new InternalTopDocRefs(name, size, merge(aggregations.stream().map(a -> ((InternalTopDocRefs) a).hits).toList(), size),
            metadata);
    }

    /** The best {@code size} of shards' lists, as the hits of one search of that size would be ordered. */
    static List<RankedList.Hit> merge(List<List<RankedList.Hit>> shards, int size) {
        List<RankedList.Hit> all = new ArrayList<>();
        shards.forEach(all::addAll);
        all.sort(ORDER);
        return all.size() > size ? new ArrayList<>(all.subList(0, size)) : all;
    }

    @Override
    protected boolean mustReduceOnSingleInternalAgg() {
        return false; // a shard's list is already cut and ordered
    }

    @Override
    public Object getProperty(List<String> path) {
        if (path.isEmpty()) {
            return this;
        }
        throw new IllegalArgumentException("[" + TopDocRefsAggregationBuilder.NAME + "] has no property " + path);
    }

    @Override
    public XContentBuilder doXContentBody(XContentBuilder builder, Params params) throws IOException {
        return hitsToXContent(builder.field("hits"), hits);
    }

    /** [{_index, _score, _doc_ref}, ...] */
    static XContentBuilder hitsToXContent(XContentBuilder builder, List<RankedList.Hit> hits) throws IOException {
        builder.startArray();
        for (RankedList.Hit hit : hits) {
            RankedList.Doc doc = hit.doc();
            builder.startObject().field("_index", doc.index()).field("_score", hit.score())
                .array(DocRefs.FIELD, doc.shard(), doc.luceneDoc(), doc.view()).endObject();
        }
        return builder.endArray();
    }

    @Override
    public boolean equals(Object other) {
        return super.equals(other) && size == ((InternalTopDocRefs) other).size && hits.equals(((InternalTopDocRefs) other).hits);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), size, hits);
    }
}
