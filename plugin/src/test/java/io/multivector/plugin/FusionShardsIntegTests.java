package io.multivector.plugin;

import io.multivector.plugin.fusion.DocRefs;
import io.multivector.plugin.fusion.TopDocRefsAggregationBuilder;
import io.multivector.plugin.search.MultiVectorExt;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.action.search.SearchType;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.xcontent.ToXContent;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.plugins.Plugin;
import org.opensearch.search.SearchHit;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.test.OpenSearchIntegTestCase;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.multivector.plugin.FusionTestSupport.fusionStats;
import static io.multivector.plugin.FusionTestSupport.ids;
import static io.multivector.plugin.FusionTestSupport.parse;
import static org.opensearch.test.hamcrest.OpenSearchAssertions.assertAcked;

/**
 * Fusion is exact whatever the cluster: the same documents on one shard and on three (across three nodes) give the
 * same hits with the same scores for every method, and a page is a slice of the longer list. The window holds every
 * document, so no tie is cut at its end (which of two equal-scored documents makes a window's last place is the
 * one thing the layout decides). The three-shard index has a replica of each shard.
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 3)
public class FusionShardsIntegTests extends OpenSearchIntegTestCase {

    private static final String[] WORDS = { "warm", "jacket", "cold", "weather", "wool", "coat", "rain", "boots", "summer", "hat" };

    @Override
    protected Collection<Class<? extends Plugin>> nodePlugins() {
        return List.of(MultiVectorPlugin.class);
    }

    public void testOneShardEqualsThreeShardsForEveryMethod() throws Exception {
        for (String index : new String[] { "one", "three" }) {
            assertAcked(prepareCreate(index).setSettings(Settings.builder().put("index.multivector", true)
                .put("number_of_shards", index.equals("one") ? 1 : 3).put("number_of_replicas", index.equals("one") ? 0 : 1)
                .put("refresh_interval", "-1"))
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
        ensureGreen("one", "three");
        refresh("one", "three"); // after recovery, and no scheduled refresh: every copy keeps one view from here on
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
        // with a replica per shard every round of a fusion went to the same copies (their segments, so their views,
        // differ): no fusion met two views, and all were by reference
        long[] stats = fusionStats(internalCluster());
        assertEquals(0, stats[5]);
        assertTrue("by reference: " + stats[4], stats[4] >= 24);
    }

    /** A vector list full of equal scores: their documents' {@code _id}s are read (one more search) and order them. */
    public void testTiesInAVectorListAreOrderedByIdOnAnyLayout() throws Exception {
        for (String index : new String[] { "tied_one", "tied_three" }) {
            assertAcked(prepareCreate(index).setSettings(Settings.builder().put("index.multivector", true)
                .put("number_of_shards", index.equals("tied_one") ? 1 : 3).put("number_of_replicas", 0))
                .setMapping("title", "type=text", "dense", "type=dense_vector,dims=2,similarity=cosine"));
            for (int i = 0; i < 40; i++) { // three distinct vectors: every score of the dense list is shared
                client().prepareIndex(index).setId("d" + i).setSource(Map.of("title", WORDS[i % WORDS.length] + " " + WORDS[(i * 3) % WORDS.length],
                    "dense", List.of(1.0, i % 3))).get();
            }
        }
        refresh("tied_one", "tied_three");
        ensureGreen("tied_one", "tied_three");
        String fusion = """
            {"fusion": {"window_size": 100, "queries": [
              {"vector": {"field": "dense", "query_vector": [1, 0.5], "k": 100, "num_candidates": 200}},
              {"match": {"title": "warm jacket"}}]}}""";
        SearchResponse one = search("tied_one", fusion, 0, 40);
        SearchResponse three = search("tied_three", fusion, 0, 40);
        assertEquals(40, one.getHits().getHits().length);
        assertEquals(ids(one), ids(three));
        assertArrayEquals(scores(one), scores(three), 1e-6f);
    }

    /**
     * A vector subquery's list comes as the {@code top_doc_refs} aggregation of a search of size 0: on three shards it
     * names the same documents, in the same order and with the same scores, as the hits of a search of that size,
     * equal scores at the list's end cut alike.
     */
    public void testTopDocRefsEqualTheHitsOfASearch() throws Exception {
        assertAcked(prepareCreate("refs").setSettings(Settings.builder().put("index.multivector", true).put("number_of_shards", 3)
            .put("number_of_replicas", 0)).setMapping("dense", "type=dense_vector,dims=2,similarity=cosine"));
        for (int i = 0; i < 60; i++) { // a third of the documents share three vectors, the rest are all different
            List<Double> vector = i % 3 == 0 ? List.of(1.0, (double) (i % 9) / 3) : List.of(1.0, i / 7.0);
            client().prepareIndex("refs").setId("r" + i).setSource(Map.of("dense", vector)).get();
        }
        refresh("refs");
        QueryBuilder query = parse(internalCluster(), """
            {"vector": {"field": "dense", "query_vector": [1, 0.5], "k": 100, "num_candidates": 200}}""");
        for (int size : new int[] { 1, 7, 20, 45, 100 }) {
            Map<String, Object> hits = asMap(client().prepareSearch("refs").setPreference("same").setSource(new SearchSourceBuilder()
                .query(query).size(size).fetchSource(false).ext(List.of(new MultiVectorExt(false, true, true)))).get());
            Map<String, Object> refs = asMap(client().prepareSearch("refs").setQuery(query).setSize(0).setPreference("same")
                .setRequestCache(false).addAggregation(new TopDocRefsAggregationBuilder("top", size)).get());
            List<List<Object>> fromHits = new ArrayList<>();
            for (Map<String, Object> hit : list(((Map<?, ?>) hits.get("hits")).get("hits"))) {
                fromHits.add(List.of(hit.get("_score"), ((Map<?, ?>) hit.get("fields")).get(DocRefs.FIELD)));
            }
            List<List<Object>> fromAggregation = new ArrayList<>();
            for (Map<String, Object> hit : list(((Map<?, ?>) ((Map<?, ?>) refs.get("aggregations")).get("top")).get("hits"))) {
                fromAggregation.add(List.of(hit.get("_score"), hit.get(DocRefs.FIELD)));
            }
            assertEquals("size " + size, Math.min(size, 60), fromHits.size());
            assertEquals("size " + size, fromHits, fromAggregation);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }

    private static Map<String, Object> asMap(SearchResponse response) throws Exception {
        return XContentHelper.convertToMap(BytesReference.bytes(response.toXContent(JsonXContent.contentBuilder(), ToXContent.EMPTY_PARAMS)),
            false, XContentType.JSON).v2();
    }

    private SearchResponse search(String index, String query, int from, int size) throws Exception {
        // BM25 over the whole index, not per shard, as the one-shard index has it
        // no preference (the test client may pick _local, which makes a fusion go by id): lists by reference
        return client().prepareSearch(index).setSearchType(SearchType.DFS_QUERY_THEN_FETCH).setQuery(parse(internalCluster(), query))
            .setFrom(from).setSize(size).setFetchSource(false).setPreference(null).get();
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
