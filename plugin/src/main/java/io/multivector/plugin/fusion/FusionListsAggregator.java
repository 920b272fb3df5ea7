package io.multivector.plugin.fusion;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.ScoreMode;
import org.opensearch.search.aggregations.InternalAggregation;
import org.opensearch.search.aggregations.LeafBucketCollector;
import org.opensearch.search.aggregations.metrics.MetricsAggregator;
import org.opensearch.search.internal.SearchContext;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** The shard side of the {@code fusion_lists} aggregation: the lists the shard's {@link FusionListsQuery} found, unchanged. */
final class FusionListsAggregator extends MetricsAggregator {

    private final FusionListsQuery query;

    FusionListsAggregator(String name, SearchContext context, Map<String, Object> metadata) throws IOException {
        super(name, context, null, metadata);
        this.query = context.parsedQuery() == null ? null : LeafQueries.find(context.parsedQuery().query(), FusionListsQuery.class); // before the rewrite
        if (query == null) {
            throw new IllegalArgumentException("[" + FusionListsAggregationBuilder.NAME + "] needs the [fusion_lists] query");
        }
    }

    @Override
    public ScoreMode scoreMode() {
        return ScoreMode.COMPLETE_NO_SCORES;
    }

    @Override
    protected LeafBucketCollector getLeafCollector(LeafReaderContext ctx, LeafBucketCollector sub) {
        return LeafBucketCollector.NO_OP_COLLECTOR;
    }

    @Override
    public InternalAggregation buildAggregation(long bucket) throws IOException {
        FusionListsQuery.Lists lists = query.lists(context.searcher());
        return new InternalFusionLists(name, query.window(), lists.lists(), lists.ids(), metadata());
    }

    @Override
    public InternalAggregation buildEmptyAggregation() {
        return new InternalFusionLists(name, query.window(), List.of(), Map.of(), metadata());
    }
}
