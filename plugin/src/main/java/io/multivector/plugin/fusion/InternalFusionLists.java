package io.multivector.plugin.fusion;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.search.aggregations.InternalAggregation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The result of {@code fusion_lists}: per subquery, a shard's (or, reduced, the cluster's) best {@code window}
 * documents by reference, best first, and the {@code _id}s the shard read for them ({@link FusionListsQuery.Lists#ids}).
 * {@link FusionListsProcessor} merges the shards' lists itself and removes them from the response; the reduce is there
 * for a search that ran without that step (it keeps no {@code _id}s: they are per shard).
 */
public final class InternalFusionLists extends InternalAggregation {

    private final int window;
    private final List<List<RankedList.Hit>> lists;
    private final Map<Integer, String> ids;

    InternalFusionLists(String name, int window, List<List<RankedList.Hit>> lists, Map<Integer, String> ids, Map<String, Object> metadata) {
        super(name, metadata);
        this.window = window;
        this.lists = lists;
        this.ids = ids;
    }

    public InternalFusionLists(StreamInput in) throws IOException {
        super(in);
        window = in.readVInt();
        int count = in.readVInt();
        lists = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            lists.add(InternalTopDocRefs.readHits(in));
        }
        ids = in.readMap(StreamInput::readVInt, StreamInput::readString);
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        out.writeVInt(window);
        out.writeVInt(lists.size());
        for (List<RankedList.Hit> hits : lists) {
            InternalTopDocRefs.writeHits(out, hits);
        }
        out.writeMap(ids, StreamOutput::writeVInt, StreamOutput::writeString);
    }

    /** Per subquery, best first. */
    List<List<RankedList.Hit>> lists() {
        return lists;
    }

    /** The {@code _id}s the shard read, by Lucene doc id. */
    Map<Integer, String> ids() {
        return ids;
    }

    @Override
    public String getWriteableName() {
        return FusionListsAggregationBuilder.NAME;
    }

    @Override
    public InternalAggregation reduce(List<InternalAggregation> aggregations, ReduceContext reduceContext) {
        List<List<RankedList.Hit>> merged = new ArrayList<>(lists.size());
        for (int i = 0; i < lists.size(); i++) {
            int subquery = i;
            merged.add(InternalTopDocRefs.merge(aggregations.stream().map(a -> ((InternalFusionLists) a).lists.get(subquery)).toList(),
                window));
        }
        return new InternalFusionLists(name, window, merged, Map.of(), metadata);
    }

    @Override
    protected boolean mustReduceOnSingleInternalAgg() {
        return false;
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
            InternalTopDocRefs.hitsToXContent(builder, hits);
        }
        return builder.endArray();
    }

    @Override
    public boolean equals(Object other) {
        return super.equals(other) && window == ((InternalFusionLists) other).window && lists.equals(((InternalFusionLists) other).lists)
            && ids.equals(((InternalFusionLists) other).ids);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), window, lists, ids);
    }
}
