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
 * documents by reference, best first. {@link FusionListsProcessor} merges the shards' lists itself and removes them
 * from the response; the reduce is there for a search that ran without that step.
 */
public final class InternalFusionLists extends InternalAggregation {

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
            lists.add(InternalTopDocRefs.readHits(in));
        }
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        out.writeVInt(window);
        out.writeVInt(lists.size());
        for (List<RankedList.Hit> hits : lists) {
            InternalTopDocRefs.writeHits(out, hits);
        }
    }

    /** Per subquery, best first. */
    List<List<RankedList.Hit>> lists() {
        return lists;
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
        return new InternalFusionLists(name, window, merged, metadata);
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
        return super.equals(other) && window == ((InternalFusionLists) other).window && lists.equals(((InternalFusionLists) other).lists);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), window, lists);
    }
}
