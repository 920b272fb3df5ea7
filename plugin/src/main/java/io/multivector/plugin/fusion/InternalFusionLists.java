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
 * The result of {@code fusion_lists}: per subquery, its best {@code window} hits (score, {@code _index}, {@code _id}),
 * best first. Shards send theirs; the reduce keeps the global best {@code window} of each subquery, which is the list
 * a distributed search of {@code window} hits would give, with equal scores ordered by {@code _index}, {@code _id}.
 */
public final class InternalFusionLists extends InternalAggregation {

    /** Best first; equal scores by _index then _id, so the order and a window's last place are the same on any cluster. */
    static final Comparator<RankedList.Hit> ORDER = Comparator.comparingDouble((RankedList.Hit hit) -> -hit.score())
        .thenComparing(RankedList.Hit::doc);

    private final int window;
    private final List<List<RankedList.Hit>> lists;

    InternalFusionLists(String name, int window, List<List<RankedList.Hit>> lists, Map<String, Object> metadata) {
        super(name, metadata);
        this.window = window;
        this.lists = lists;
    }

    public InternalFusionLists(StreamInput in) throws IOException {
        super(in);
        window = in.readVInt();
        int count = in.readVInt();
        lists = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int size = in.readVInt();
            List<RankedList.Hit> hits = new ArrayList<>(size);
            for (int j = 0; j < size; j++) {
                hits.add(new RankedList.Hit(new RankedList.Doc(in.readString(), in.readString()), in.readFloat()));
            }
            lists.add(hits);
        }
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        out.writeVInt(window);
        out.writeVInt(lists.size());
        for (List<RankedList.Hit> hits : lists) {
            out.writeVInt(hits.size());
            for (RankedList.Hit hit : hits) {
                out.writeString(hit.doc().index());
                out.writeString(hit.doc().id());
                out.writeFloat(hit.score());
            }
        }
    }

    static List<List<RankedList.Hit>> emptyLists(int count) {
        List<List<RankedList.Hit>> lists = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            lists.add(List.of());
        }
        return lists;
    }

    /** Subquery {@code i}'s list, best first. */
    List<RankedList.Hit> list(int i) {
        return lists.get(i);
    }

    @Override
    public String getWriteableName() {
        return FusionListsAggregationBuilder.NAME;
    }

    @Override
    public InternalAggregation reduce(List<InternalAggregation> aggregations, ReduceContext reduceContext) {
        List<List<RankedList.Hit>> merged = emptyLists(lists.size());
        for (int i = 0; i < merged.size(); i++) {
            List<RankedList.Hit> all = new ArrayList<>();
            for (InternalAggregation aggregation : aggregations) {
                all.addAll(((InternalFusionLists) aggregation).lists.get(i));
            }
            all.sort(ORDER);
            merged.set(i, all.size() > window ? new ArrayList<>(all.subList(0, window)) : all);
        }
        return new InternalFusionLists(name, window, merged, metadata);
    }

    @Override
    protected boolean mustReduceOnSingleInternalAgg() {
        return false; // a shard's lists are already cut and ordered
    }

    @Override
    public Object getProperty(List<String> path) {
        if (path.isEmpty()) {
            return this;
        }
        throw new IllegalArgumentException("[" + FusionListsAggregationBuilder.NAME + "] has no property " + path);
    }

    @Override
    public XContentBuilder doXContentBody(XContentBuilder builder, Params params) throws IOException {
        builder.startArray("lists");
        for (List<RankedList.Hit> hits : lists) {
            builder.startArray();
            for (RankedList.Hit hit : hits) {
                builder.startObject().field("_index", hit.doc().index()).field("_id", hit.doc().id()).field("_score", hit.score()).endObject();
            }
            builder.endArray();
        }
        return builder.endArray();
    }

    @Override
    public boolean equals(Object other) {
        return super.equals(other) && window == ((InternalFusionLists) other).window && lists.equals(((InternalFusionLists) other).lists);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), window, lists);
    }
}
