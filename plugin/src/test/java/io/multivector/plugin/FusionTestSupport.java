package io.multivector.plugin;

import io.multivector.rest.stats.FusionInFlight;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.common.xcontent.LoggingDeprecationHandler;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.AbstractQueryBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.search.SearchHit;
import org.opensearch.test.InternalTestCluster;

import java.util.Arrays;
import java.util.List;

/** What the fusion cluster tests share: queries written as JSON, hits' ids, and the nodes' fusion stats. */
final class FusionTestSupport {

    private FusionTestSupport() {}

    static QueryBuilder parse(InternalTestCluster cluster, String json) throws Exception {
        NamedXContentRegistry registry = cluster.getInstance(NamedXContentRegistry.class);
        try (XContentParser parser = JsonXContent.jsonXContent.createParser(registry, LoggingDeprecationHandler.INSTANCE, json)) {
            parser.nextToken();
            return AbstractQueryBuilder.parseInnerQueryBuilder(parser);
        }
    }

    static List<String> ids(SearchResponse response) {
        return Arrays.stream(response.getHits().getHits()).map(SearchHit::getId).toList();
    }

    /** {@link FusionInFlight#snapshot()} summed over the nodes. */
    static long[] fusionStats(InternalTestCluster cluster) {
        long[] sum = null;
        for (FusionInFlight stats : cluster.getInstances(FusionInFlight.class)) {
            long[] one = stats.snapshot();
            sum = sum == null ? one : sum;
            if (sum != one) {
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += one[i];
                }
            }
        }
        return sum;
    }
}
