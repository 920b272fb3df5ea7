package io.multivector.plugin;

import org.opensearch.action.search.SearchResponse;
import org.opensearch.action.search.SearchType;
import org.opensearch.common.settings.Settings;
import org.opensearch.core.common.Strings;
import org.opensearch.core.xcontent.MediaTypeRegistry;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.common.xcontent.LoggingDeprecationHandler;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.AbstractQueryBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.plugins.Plugin;
import org.opensearch.search.SearchHit;
import org.opensearch.test.OpenSearchIntegTestCase;
import org.opensearch.test.junit.annotations.TestLogging;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.opensearch.test.hamcrest.OpenSearchAssertions.assertAcked;

/**
 * Fusion is exact whatever the cluster: the same documents on one shard and on three (across three nodes) give the
 * same hits with the same scores for every method, and a page is a slice of the longer list. The window holds every
 * document, so no tie is cut at its end (which of two equal-scored documents makes a window's last place is the
 * one thing the layout decides).
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 3)
@TestLogging(value = "io.multivector.plugin.fusion:DEBUG", reason = "says why a first round left the aggregation")
public class FusionShardsIntegTests extends OpenSearchIntegTestCase {

    private static final String[] WORDS = { "warm", "jacket", "cold", "weather", "wool", "coat", "rain", "boots", "summer", "hat" };

    @Override
    protected Collection<Class<? extends Plugin>> nodePlugins() {
        return List.of(MultiVectorPlugin.class);
    }

    public void testOneShardEqualsThreeShardsForEveryMethod() throws Exception {
        indexDocs();
        for (String options : new String[] { "\"method\": \"rrf\"", "\"method\": \"rrf\", \"weights\": [2, 0.5, 1]", "\"method\": \"dbsf\"",
            "\"method\": \"linear\"", "\"method\": \"linear\", \"normalization\": \"l2\"", "\"method\": \"linear\", \"normalization\": \"z_score\"",
            "\"method\": \"rrf\", \"filter\": {\"term\": {\"group\": \"a\"}}",
            "\"method\": \"rrf\", \"rerank\": {\"window_size\": 20, \"query\": {\"vector\": {\"field\": \"tokens\", \"query_vectors\": [[0, 1]]}}}" }) {
            String fusion = String.format(Locale.ROOT, """
                {"fusion": {%s, "window_size": 100, "queries": [
                  {"match": {"title": "warm jacket cold"}},
                  {"vector": {"field": "tokens", "query_vectors": [[0.6, 0.8], [1, 0]]}},
                  {"vector": {"field": "dense", "query_vector": [1, 0.2], "k": 100, "num_candidates": 200}}]}}""", options);
            SearchResponse one = search("one", fusion, 0, 100);
            SearchResponse three = search("three", fusion, 0, 100);
            assertTrue(options, one.getHits().getHits().length > 10);
            assertEquals(options, ids(one), ids(three));
            assertArrayEquals(options, scores(one), scores(three), 1e-6f);
            SearchResponse page = search("three", fusion, 10, 10);
            assertEquals(options, ids(one).subList(10, 20), ids(page));
        }
    }

    /**
     * Without DFS the lists come from one search whose aggregation runs every subquery on every shard. Subqueries whose
     * scores do not depend on shard statistics (vectors, a constant score) give the same lists on one shard and three,
     * and a window shorter than a run of equal scores is cut by _id on both (60 documents tie in the constant-score
     * list, the window takes 30; the one shard keeps 30 ties past its window, within WindowCollector.MAX_TIES).
     */
    public void testOneShardEqualsThreeShardsWithTiesAtTheWindowsEnd() throws Exception {
        indexDocs();
        String ties = "{\"constant_score\": {\"filter\": {\"term\": {\"group\": \"b\"}}, \"boost\": 2}}";
        List<String> smallestIds = java.util.stream.IntStream.range(0, 90).filter(i -> i % 3 != 0).mapToObj(Integer::toString)
            .sorted().limit(30).toList();
        String lists = "{\"size\": 0, \"aggs\": {\"lists\": {\"fusion_lists\": {\"window_size\": 30, \"queries\": [" + ties
            + ", {\"vector\": {\"field\": \"tokens\", \"query_vectors\": [[0.6, 0.8], [1, 0]], \"k\": 30}}"
            + ", {\"vector\": {\"field\": \"dense\", \"query_vector\": [1, 0.2], \"k\": 30, \"num_candidates\": 200}}]}}}}";
        assertEquals("the first round's lists", listsOf("one", lists).replace("\"one\"", "\"three\""), listsOf("three", lists));
        SearchResponse alone = search("three", "{\"fusion\": {\"window_size\": 30, \"queries\": [" + ties + "]}}", 0, 30, false);
        assertEquals("ties at the window's end are cut by _id", smallestIds, ids(alone));
        for (String method : new String[] { "rrf", "dbsf", "linear" }) {
            String fusion = String.format(Locale.ROOT, """
                {"fusion": {"method": "%s", "window_size": 30, "queries": [%s,
                  {"vector": {"field": "tokens", "query_vectors": [[0.6, 0.8], [1, 0]], "k": 30}},
                  {"vector": {"field": "dense", "query_vector": [1, 0.2], "k": 30, "num_candidates": 200}}]}}""", method, ties);
            SearchResponse one = search("one", fusion, 0, 30, false);
            SearchResponse three = search("three", fusion, 0, 30, false);
            assertEquals(method, 30, one.getHits().getHits().length);
            assertEquals(method, ids(one), ids(three));
            assertArrayEquals(method, scores(one), scores(three), 1e-6f);
            assertEquals(method, ids(one).subList(10, 20), ids(search("three", fusion, 10, 10, false)));
        }
    }

    /** The {@code fusion_lists} aggregation's lists (the first round of a fusion without DFS), as JSON. */
    private String listsOf(String index, String source) throws Exception {
        NamedXContentRegistry registry = internalCluster().getInstance(NamedXContentRegistry.class);
        try (XContentParser parser = JsonXContent.jsonXContent.createParser(registry, LoggingDeprecationHandler.INSTANCE, source)) {
            SearchResponse response = client().prepareSearch(index).setSource(SearchSourceBuilder.fromXContent(parser)).setTimeout(null).get();
            assertEquals(0, response.getShardFailures().length);
            return Strings.toString(MediaTypeRegistry.JSON, response.getAggregations().get("lists"));
        }
    }

    private void indexDocs() {
        for (String index : new String[] { "one", "three" }) {
            assertAcked(prepareCreate(index).setSettings(Settings.builder().put("index.multivector", true)
                .put("number_of_shards", index.equals("one") ? 1 : 3).put("number_of_replicas", 0))
                .setMapping("title", "type=text", "tokens", "type=multi_vector,dims=2", "dense", "type=dense_vector,dims=2,similarity=cosine",
                    "group", "type=keyword"));
        }
        int numDocs = 90;
        for (int i = 0; i < numDocs; i++) {
            double angle = i * Math.PI / 2 / numDocs;
            String title = WORDS[i % WORDS.length] + " " + WORDS[(i * 7) % WORDS.length] + " " + WORDS[(i * 3 + 1) % WORDS.length];
            Map<String, Object> source = Map.of("title", title, "group", i % 3 == 0 ? "a" : "b",
                "tokens", List.of(List.of(Math.cos(angle), Math.sin(angle)), List.of(Math.sin(3 * angle), -Math.cos(angle))),
                "dense", List.of(Math.cos(2 * angle) + 0.01, Math.sin(2 * angle) + 0.01));
            for (String index : new String[] { "one", "three" }) {
                client().prepareIndex(index).setId(Integer.toString(i)).setSource(source).get();
            }
        }
        refresh("one", "three");
        ensureGreen("one", "three");
    }

    private SearchResponse search(String index, String query, int from, int size) throws Exception {
        // BM25 over the whole index, not per shard, as the one-shard index has it
        return search(index, query, from, size, true);
    }

    private SearchResponse search(String index, String query, int from, int size, boolean dfs) throws Exception {
        // no timeout (the test client sets one at random): a timeout keeps the one-search-per-subquery first round
        return client().prepareSearch(index).setSearchType(dfs ? SearchType.DFS_QUERY_THEN_FETCH : SearchType.QUERY_THEN_FETCH)
            .setTimeout(null).setQuery(parse(query)).setFrom(from).setSize(size).setFetchSource(false).get();
    }

    private QueryBuilder parse(String json) throws Exception {
        NamedXContentRegistry registry = internalCluster().getInstance(NamedXContentRegistry.class);
        try (XContentParser parser = JsonXContent.jsonXContent.createParser(registry, LoggingDeprecationHandler.INSTANCE, json)) {
            parser.nextToken();
            return AbstractQueryBuilder.parseInnerQueryBuilder(parser);
        }
    }

    private static List<String> ids(SearchResponse response) {
        return Arrays.stream(response.getHits().getHits()).map(SearchHit::getId).toList();
    }

    private static float[] scores(SearchResponse response) {
        SearchHit[] hits = response.getHits().getHits();
        float[] scores = new float[hits.length];
        for (int i = 0; i < hits.length; i++) {
            scores[i] = hits[i].getScore();
        }
        return scores;
    }
}
