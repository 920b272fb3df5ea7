package io.multivector.plugin.fusion;

import org.opensearch.action.search.SearchRequest;
import org.opensearch.action.search.SearchType;
import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.cluster.metadata.Metadata;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.settings.ClusterSettings;
import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Settings;
import org.opensearch.index.IndexSettings;
import org.opensearch.search.SearchService;
import org.opensearch.common.util.concurrent.OpenSearchExecutors;
import org.opensearch.search.pipeline.SearchPipelineService;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.search.builder.SearchSourceBuilder;

import java.util.List;

/**
 * A fusion as one search. Each shard runs every subquery for its best {@code window_size} documents
 * ({@code fusion_lists}; with the {@code _id}s that order equal scores: of every hit of a text subquery, of tied hits of
 * the others), {@link FusionListsProcessor} fuses the global lists between the query and the fetch phase, and the fetch
 * phase fetches the page: one query and one fetch phase, as {@code hybrid} has, and still exact, with no second search
 * and one reader per shard throughout. It needs OpenSearch to run that processor
 * ({@code cluster.search.enabled_system_generated_factories} naming {@link FusionListsProcessor#FACTORY} or {@code *}).
 * Nested fusions, rerank, aggregations and the other options that need the fused list before the query phase take the
 * two-round path.
 */
public final class OneSearchFusion {

    /**
     * {@code auto}: in one search, unless a shard would run the subqueries one after another (concurrent segment search
     * off for the index) while this node has more processors than the request has shards: then two rounds, which run
     * them as separate searches at once, win; and unless a text subquery meets more than one shard: each shard would read
     * the {@code _id} of every hit of its text list (2.2 against 0.6 ms for a fusion of one {@code match} on 3 shards).
     * {@code always}; {@code never}.
     */
    public static final Setting<String> MODE = Setting.simpleString("plugins.multivector.fusion.one_search", "auto", value -> {
        if (List.of("auto", "always", "never").contains(value) == false) {
            throw new IllegalArgumentException("[plugins.multivector.fusion.one_search] must be auto, always or never, got [" + value + "]");
        }
    }, Setting.Property.NodeScope, Setting.Property.Dynamic);

    private OneSearchFusion() {}

    /**
     * Whether this cluster runs {@code request}'s fusion as one search: OpenSearch must run {@link FusionListsProcessor}
     * for a plugin, and the request names concrete indices (an alias may carry a filter, which the subqueries' own
     * searches would not see), without routing.
     */
    static boolean chosen(SearchRequest request, ClusterService clusterService) {
        ClusterSettings settings = clusterService.getClusterSettings();
        List<String> enabled = settings.get(SearchPipelineService.ENABLED_SYSTEM_GENERATED_FACTORIES_SETTING);
        String mode = settings.get(MODE);
        if ("never".equals(mode) || (enabled.contains(SearchPipelineService.ALL) || enabled.contains(FusionListsProcessor.FACTORY)) == false
            || request.routing() != null || request.indices() == null || request.indices().length == 0) {
            return false;
        }
        Metadata metadata = clusterService.state().metadata();
        int shards = 0;
        boolean subqueriesAtOnce = true;
        for (String name : request.indices()) {
            IndexMetadata index = metadata.index(name);
            if (index == null) {
                return false;
            }
            shards += index.getNumberOfShards();
            subqueriesAtOnce &= concurrentSearchMode(index.getSettings(), settings).equals(SearchService.CONCURRENT_SEGMENT_SEARCH_MODE_NONE) == false;
        }
        if ("always".equals(mode)) {
            return true;
        }
        if (shards > 1 && request.source().query() instanceof FusionQueryBuilder fusion
            && fusion.queries().stream().anyMatch(query -> SubqueryRewrites.isVectorQuery(query) == false)) {
            return false; // every shard would read the _id of its whole text list; two rounds read the window's once
        }
        return subqueriesAtOnce || shards >= OpenSearchExecutors.allocatedProcessors(clusterService.getSettings());
    }

    /**
     * The index's concurrent segment search mode as a shard resolves it: the index's mode, the cluster's, then the older
     * boolean settings (true is {@code all}), then the default. In {@code auto} and {@code all} a shard's searcher has
     * the concurrent search threads, on which a one-search fusion's shard searches its subqueries at once ({@link FusionListsQuery}).
     */
    static String concurrentSearchMode(Settings index, ClusterSettings cluster) {
        String mode = index.get(IndexSettings.INDEX_CONCURRENT_SEGMENT_SEARCH_MODE.getKey(),
            cluster.getOrNull(SearchService.CLUSTER_CONCURRENT_SEGMENT_SEARCH_MODE));
        if (mode != null) {
            return mode;
        }
        Boolean legacy = index.getAsBoolean(IndexSettings.INDEX_CONCURRENT_SEGMENT_SEARCH_SETTING.getKey(),
            cluster.getOrNull(SearchService.CLUSTER_CONCURRENT_SEGMENT_SEARCH_SETTING));
        if (legacy != null) {
            return legacy ? SearchService.CONCURRENT_SEGMENT_SEARCH_MODE_ALL : SearchService.CONCURRENT_SEGMENT_SEARCH_MODE_NONE;
        }
        return cluster.get(SearchService.CLUSTER_CONCURRENT_SEGMENT_SEARCH_MODE);
    }

    /** Whether {@code request}'s top-level {@code fusion} can run as one search. */
    static boolean applies(SearchRequest request, FusionQueryBuilder fusion) {
        SearchSourceBuilder source = request.source();
        if (request.scroll() != null || request.searchType() != SearchType.QUERY_THEN_FETCH || source.pointInTimeBuilder() != null
            || source.aggregations() != null || source.postFilter() != null || Boolean.TRUE.equals(source.explain())
            || source.profile() || source.highlighter() != null || source.sorts() != null || source.searchAfter() != null
            || source.collapse() != null || source.rescores() != null || source.suggest() != null || source.minScore() != null
            || source.terminateAfter() != 0 || source.timeout() != null || source.slice() != null || source.indexBoosts().isEmpty() == false) {
            return false;
        }
        if (fusion.rerank() != null || fusion.subqueryScores() || fusion.boost() != 1 || fusion.queryName() != null) {
            return false;
        }
        for (QueryBuilder query : fusion.queries()) {
            if (query instanceof FusionQueryBuilder) {
                return false;
            }
        }
        return true;
    }

    /** The request as one search: each shard's query finds its lists, the aggregation sends them to be fused. */
    static SearchRequest rewrite(SearchRequest request, List<QueryBuilder> queries, List<String> names, FusionOptions options) {
        SearchSourceBuilder source = request.source().shallowCopy().query(new FusionListsQueryBuilder(queries, names, options))
            .aggregation(new FusionListsAggregationBuilder());
        SearchRequest one = new SearchRequest(request).source(source);
        one.setBatchedReduceSize(Integer.MAX_VALUE); // every shard's lists reach the fusion as they came, none reduced before
        return one;
    }
}
