package io.multivector.plugin.fusion;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
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
        this.query = context.parsedQuery() == null ? null : find(context.parsedQuery().query()); // before the rewrite
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
        return new InternalFusionLists(name, query.window(), lists.lists(), metadata());
    }

    @Override
    public InternalAggregation buildEmptyAggregation() {
        return new InternalFusionLists(name, query.window(), List.of(), metadata());
    }

    private static FusionListsQuery find(Query query) {
        FusionListsQuery[] found = new FusionListsQuery[1];
        query.visit(new QueryVisitor() {
            @Override
            public void visitLeaf(Query leaf) {
                if (leaf instanceof FusionListsQuery lists) {
                    found[0] = lists;
                }
            }

            @Override
            public QueryVisitor getSubVisitor(org.apache.lucene.search.BooleanClause.Occur occur, Query parent) {
                return this;
            }
        });
        return found[0];
    }
}
