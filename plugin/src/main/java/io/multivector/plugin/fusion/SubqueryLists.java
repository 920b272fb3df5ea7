package io.multivector.plugin.fusion;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.opensearch.action.search.MultiSearchRequest;
import org.opensearch.action.search.MultiSearchResponse;
import org.opensearch.action.search.SearchRequest;
import org.opensearch.action.search.SearchType;
import org.opensearch.core.action.ActionListener;
import org.opensearch.index.query.MatchAllQueryBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.search.aggregations.Aggregation;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.transport.client.Client;

import java.util.ArrayList;
import java.util.List;

/**
 * A fusion's first round: the global list of {@code window} hits of every (non-fusion) subquery. Normally one search
 * of size 0 whose {@code fusion_lists} aggregation runs every subquery on every shard and reduces the shards' lists
 * (no fetch phase, one round trip per shard). Where that search cannot do what the request asks, and whenever it
 * fails, each subquery runs as its own full search of {@code window} hits in one {@code _msearch}, which also names
 * a failing subquery and its shard's reason.
 */
final class SubqueryLists {

    private static final Logger LOGGER = LogManager.getLogger(SubqueryLists.class);
    private static final String AGGREGATION = "lists";

    private SubqueryLists() {}

    static void search(Client client, SearchRequest template, List<String> names, List<QueryBuilder> queries, int window,
                       ActionListener<List<RankedList>> listener) {
        if (aggregationCanServe(template) == false) {
            byMultiSearch(client, template, names, queries, window, listener);
            return;
        }
        client.search(aggregationSearch(template, queries, window), ActionListener.wrap(response -> {
            Aggregation lists = response.getAggregations() == null ? null : response.getAggregations().get(AGGREGATION);
            if (response.isTimedOut() || response.getShardFailures().length > 0 || lists instanceof InternalFusionLists == false) {
                LOGGER.debug("[fusion] first round: timed out [{}], shard failures {}; running the subqueries as searches",
                    response.isTimedOut(), List.of(response.getShardFailures()));
                byMultiSearch(client, template, names, queries, window, listener);
                return;
            }
            List<RankedList> result = new ArrayList<>(queries.size());
            for (int i = 0; i < queries.size(); i++) {
                result.add(new RankedList(names.get(i), ((InternalFusionLists) lists).list(i)));
            }
            listener.onResponse(result);
        }, e -> {
            LOGGER.debug("[fusion] first round failed; running the subqueries as searches", e);
            byMultiSearch(client, template, names, queries, window, listener);
        }));
    }

    /**
     * DFS gathers term statistics for the request's query only, not an aggregation's; a timeout would cut the lists at
     * a point the shard does not report. Both keep the one-search-per-subquery path.
     */
    static boolean aggregationCanServe(SearchRequest template) {
        return template.searchType() != SearchType.DFS_QUERY_THEN_FETCH
            && (template.source() == null || template.source().timeout() == null);
    }

    private static SearchRequest aggregationSearch(SearchRequest template, List<QueryBuilder> queries, int window) {
        SearchRequest search = sameTarget(template);
        search.allowPartialSearchResults(false); // a failing shard sends the request to the _msearch path, which names the subquery
        search.requestCache(false);
        // the query only has to cost nothing: the aggregation skips every segment of it
        return search.source(new SearchSourceBuilder().query(new MatchAllQueryBuilder()).size(0).trackTotalHits(false)
            .aggregation(new FusionListsAggregationBuilder(AGGREGATION, queries, window)));
    }

    private static void byMultiSearch(Client client, SearchRequest template, List<String> names, List<QueryBuilder> queries,
                                      int window, ActionListener<List<RankedList>> listener) {
        MultiSearchRequest searches = new MultiSearchRequest();
        for (QueryBuilder query : queries) {
            searches.add(FusionExecutor.subsearch(template, query, window));
        }
        searches.maxConcurrentSearchRequests(queries.size());
        client.multiSearch(searches, ActionListener.wrap(responses -> {
            MultiSearchResponse.Item[] items = responses.getResponses();
            List<RankedList> result = new ArrayList<>(items.length);
            for (int i = 0; i < items.length; i++) {
                if (items[i].isFailure()) {
                    listener.onFailure(FusionExecutor.subqueryFailure(names.get(i), items[i].getFailure()));
                    return;
                }
                result.add(FusionExecutor.rankedList(names.get(i), items[i].getResponse()));
            }
            listener.onResponse(result);
        }, listener::onFailure));
    }

    /** A search over the indices, routing, preference and options of the request. */
    static SearchRequest sameTarget(SearchRequest template) {
        SearchRequest search = new SearchRequest(template.indices());
        search.indicesOptions(template.indicesOptions());
        search.routing(template.routing());
        search.preference(template.preference());
        return search;
    }
}
