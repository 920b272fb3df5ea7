package io.multivector.plugin;

import io.multivector.plugin.fusion.FusionListsProcessor;
import io.multivector.plugin.fusion.OneSearchFusion;
import io.multivector.plugin.search.MultiVectorExt;
import org.opensearch.action.search.MultiSearchRequest;
import org.opensearch.action.search.MultiSearchResponse;
import org.opensearch.action.search.SearchRequest;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.action.search.SearchType;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.common.util.concurrent.OpenSearchExecutors;
import org.opensearch.plugins.Plugin;
import org.opensearch.search.SearchHit;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.search.pipeline.SearchPipelineService;
import org.opensearch.test.OpenSearchIntegTestCase;
import org.junit.After;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.multivector.plugin.FusionTestSupport.fusionStats;
import static io.multivector.plugin.FusionTestSupport.ids;
import static io.multivector.plugin.FusionTestSupport.parse;
import static org.opensearch.test.hamcrest.OpenSearchAssertions.assertAcked;

/**
 * A fusion of vector subqueries in one search (its lists fused between the query and the fetch phase) gives what the
 * same fusion gives in two rounds: the same hits, scores, total and pages, on one shard and on three (with a replica
 * each, across three nodes). A list with equal scores makes it run again in two rounds.
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 3)
public class FusionOneSearchIntegTests extends OpenSearchIntegTestCase {

    private static final int ONE_SEARCH = 6, RAN_AGAIN = 5; // in FusionInFlight.snapshot()

    @Override
    protected Collection<Class<? extends Plugin>> nodePlugins() {
        return List.of(MultiVectorPlugin.class);
    }

    /** Every node the same processors (the test cluster picks them at random per node): auto's rule reads the coordinator's. */
    @Override
    protected Settings nodeSettings(int nodeOrdinal) {
        return Settings.builder().put(super.nodeSettings(nodeOrdinal))
            .put(OpenSearchExecutors.NODE_PROCESSORS_SETTING.getKey(), Math.min(2, Runtime.getRuntime().availableProcessors())).build();
    }

    private void oneSearch(String mode) {
        assertAcked(client().admin().cluster().prepareUpdateSettings().setTransientSettings(Settings.builder()
            .putList(SearchPipelineService.ENABLED_SYSTEM_GENERATED_FACTORIES_SETTING.getKey(), FusionListsProcessor.FACTORY)
            .put(OneSearchFusion.MODE.getKey(), mode)));
    }

    @After
    public void resetSettings() {
        assertAcked(client().admin().cluster().prepareUpdateSettings().setTransientSettings(Settings.builder()
            .putNull(SearchPipelineService.ENABLED_SYSTEM_GENERATED_FACTORIES_SETTING.getKey()).putNull(OneSearchFusion.MODE.getKey())));
    }

    public void testOneSearchGivesWhatTwoRoundsGive() throws Exception {
        for (String index : new String[] { "one", "three" }) {
            assertAcked(prepareCreate(index).setSettings(Settings.builder().put("index.multivector", true)
                .put("number_of_shards", index.equals("one") ? 1 : 3).put("number_of_replicas", index.equals("one") ? 0 : 1))
                .setMapping("tokens", "type=multi_vector,dims=2", "dense", "type=dense_vector,dims=2,similarity=cosine", "group",
                    "type=keyword"));
        }
        for (int i = 0; i < 90; i++) {
            double angle = i * Math.PI / 2 / 90;
            Map<String, Object> source = Map.of("group", i % 3 == 0 ? "a" : "b",
                "tokens", List.of(List.of(Math.cos(angle), Math.sin(angle)), List.of(Math.sin(3 * angle), -Math.cos(angle))),
                "dense", List.of(Math.cos(2 * angle) + 0.01, Math.sin(2 * angle) + 0.01));
            for (String index : new String[] { "one", "three" }) {
                client().prepareIndex(index).setId(Integer.toString(i)).setSource(source).get();
            }
        }
        ensureGreen("one", "three");
        refresh("one", "three");
        for (String options : new String[] { "\"method\": \"rrf\"", "\"method\": \"rrf\", \"weights\": [2, 0.5]", "\"method\": \"dbsf\"",
            "\"method\": \"linear\", \"normalization\": \"z_score\"", "\"method\": \"rrf\", \"window_size\": 30",
            "\"method\": \"rrf\", \"filter\": {\"term\": {\"group\": \"a\"}}" }) {
            String fusion = String.format(Locale.ROOT, """
                {"fusion": {%s, "queries": [
                  {"vector": {"field": "tokens", "query_vectors": [[0.6, 0.8], [1, 0]], "k": 100}},
                  {"vector": {"field": "dense", "query_vector": [1, 0.2], "k": 100, "num_candidates": 200}}]}}""", options);
            oneSearch("never");
            SearchResponse twoRounds = search("three", fusion, 0, 100, true);
            oneSearch("always");
            long before = fusionStats(internalCluster())[ONE_SEARCH];
            for (String index : new String[] { "one", "three" }) {
                SearchResponse one = search(index, fusion, 0, 100, true);
                assertTrue(options, one.getHits().getHits().length > 10);
                assertEquals(options + " " + index, ids(twoRounds), ids(one));
                assertArrayEquals(options + " " + index, scores(twoRounds), scores(one), 0f);
                assertEquals(options, twoRounds.getHits().getTotalHits(), one.getHits().getTotalHits());
                assertEquals(options, twoRounds.getHits().getMaxScore(), one.getHits().getMaxScore(), 0f);
                assertTrue("the lists are not part of the response", one.getAggregations() == null || one.getAggregations().asList().isEmpty());
                assertEquals(options, ids(twoRounds).subList(10, 20), ids(search(index, fusion, 10, 10, true)));
            }
            assertEquals(options, before + 4, fusionStats(internalCluster())[ONE_SEARCH]);
            // by _id, or with an option one search cannot give (here explain), two rounds still run
            search("three", fusion, 0, 10, false);
            assertEquals(options, before + 4, fusionStats(internalCluster())[ONE_SEARCH]);
        }
    }

    /** Each fusion of an _msearch runs as one search; a search through an alias (which may filter) takes two rounds. */
    public void testMultiSearchAndAliases() throws Exception {
        assertAcked(prepareCreate("multi").setSettings(Settings.builder().put("index.multivector", true).put("number_of_shards", 3)
            .put("number_of_replicas", 0)).setMapping("dense", "type=dense_vector,dims=2,similarity=cosine",
                "other", "type=dense_vector,dims=2,similarity=cosine"));
        for (int i = 0; i < 40; i++) {
            client().prepareIndex("multi").setId("m" + i).setSource(Map.of("dense", List.of(1.0, i / 7.0), "other", List.of(i / 5.0, 1.0))).get();
        }
        refresh("multi");
        assertAcked(client().admin().indices().prepareAliases().addAlias("multi", "alias_of_multi"));
        String fusion = """
            {"fusion": {"queries": [
              {"vector": {"field": "dense", "query_vector": [1, 0.5], "k": 40, "num_candidates": 100}},
              {"vector": {"field": "other", "query_vector": [1, 0.3], "k": 40, "num_candidates": 100}}]}}""";
        oneSearch("never");
        SearchResponse twoRounds = search("multi", fusion, 0, 40, true);
        oneSearch("always");
        long before = fusionStats(internalCluster())[ONE_SEARCH];
        MultiSearchRequest both = new MultiSearchRequest();
        for (int i = 0; i < 2; i++) {
            both.add(new SearchRequest("multi").source(new SearchSourceBuilder().query(parse(internalCluster(), fusion)).size(40)
                .fetchSource(false)).searchType(SearchType.QUERY_THEN_FETCH));
        }
        for (MultiSearchResponse.Item item : client().multiSearch(both).actionGet().getResponses()) {
            assertFalse(item.isFailure());
            assertEquals(ids(twoRounds), ids(item.getResponse()));
            assertArrayEquals(scores(twoRounds), scores(item.getResponse()), 0f);
        }
        assertEquals(before + 2, fusionStats(internalCluster())[ONE_SEARCH]);
        SearchResponse throughAlias = search("alias_of_multi", fusion, 0, 40, true);
        assertEquals(ids(twoRounds), ids(throughAlias));
        assertEquals("through an alias: two rounds", before + 2, fusionStats(internalCluster())[ONE_SEARCH]);
    }

    /**
     * Equal scores in a list are ordered by _id, as two rounds order them: within a shard, with the _ids the shard sends;
     * across shards in a vector list (whose shards send _ids only for their own ties), by running again in two rounds.
     */
    public void testEqualScoresInAList() throws Exception {
        assertAcked(prepareCreate("tied").setSettings(Settings.builder().put("index.multivector", true).put("number_of_shards", 3)
            .put("number_of_replicas", 0)).setMapping("dense", "type=dense_vector,dims=2,similarity=cosine",
                "other", "type=dense_vector,dims=2,similarity=cosine"));
        for (int i = 0; i < 30; i++) { // one vector per routing value, so per shard: equal scores only within a shard
            String routing = "r" + (i % 3);
            client().prepareIndex("tied").setId("t" + i).setRouting(routing)
                .setSource(Map.of("dense", List.of(1.0, i % 3), "other", List.of(1.0, i / 10.0 + i * 0.001))).get();
        }
        refresh("tied");
        String fusion = """
            {"fusion": {"queries": [
              {"vector": {"field": "dense", "query_vector": [1, 0.5], "k": 30, "num_candidates": 100}},
              {"vector": {"field": "other", "query_vector": [1, 0.3], "k": 30, "num_candidates": 100}}]}}""";
        assertOneSearchEqualsTwoRounds("tied", fusion, 30, 0);

        // the same score in two shards, each alone in its shard with it: the shards send no _id for it
        assertAcked(prepareCreate("twins").setSettings(Settings.builder().put("index.multivector", true).put("number_of_shards", 3)
            .put("number_of_replicas", 0)).setMapping("dense", "type=dense_vector,dims=2,similarity=cosine",
                "other", "type=dense_vector,dims=2,similarity=cosine"));
        for (int i = 0; i < 20; i++) {
            client().prepareIndex("twins").setId("u" + i).setSource(Map.of("dense", List.of(1.0, i * 0.37 + 0.01),
                "other", List.of(1.0, i * 0.11))).get();
        }
        int first = client().prepareIndex("twins").setId("twin1").setRouting("a")
            .setSource(Map.of("dense", List.of(1.0, 0.5), "other", List.of(1.0, 7.3))).get().getShardId().id();
        for (int r = 0; ; r++) {
            String routing = "b" + r;
            int shard = client().prepareIndex("twins").setId("twin2").setRouting(routing)
                .setSource(Map.of("dense", List.of(1.0, 0.5), "other", List.of(1.0, 7.4))).get().getShardId().id();
            if (shard != first) {
                break;
            }
            client().prepareDelete("twins", "twin2").setRouting(routing).get();
        }
        refresh("twins");
        assertOneSearchEqualsTwoRounds("twins", fusion, 22, 1);
    }

    /**
     * Text subqueries run in one search too: their shards send every hit's _id, so BM25's many equal scores (within a
     * shard and across shards) are ordered as two rounds order them, with no second try.
     */
    public void testTextSubqueriesInOneSearch() throws Exception {
        String[] words = { "red", "green", "blue", "warm", "cold" };
        for (String index : new String[] { "text_one", "text_three" }) {
            assertAcked(prepareCreate(index).setSettings(Settings.builder().put("index.multivector", true)
                .put("number_of_shards", index.equals("text_one") ? 1 : 3).put("number_of_replicas", 0))
                .setMapping("title", "type=text", "dense", "type=dense_vector,dims=2,similarity=cosine"));
            for (int i = 0; i < 60; i++) { // two words of five: many titles score alike
                client().prepareIndex(index).setId("x" + i).setSource(Map.of("title", words[i % 5] + " " + words[(i / 5) % 5],
                    "dense", List.of(1.0, i * 0.05 + 0.01))).get();
            }
            refresh(index);
        }
        String fusion = """
            {"fusion": {"queries": [
              {"vector": {"field": "dense", "query_vector": [1, 0.5], "k": 60, "num_candidates": 100}},
              {"match": {"title": "warm red"}}], "window_size": 40}}""";
        assertOneSearchEqualsTwoRounds("text_one", fusion, 60, 0);
        assertOneSearchEqualsTwoRounds("text_three", fusion, 60, 0);
        // auto: a text subquery over more than one shard takes two rounds (each shard would read its whole list's _ids)
        oneSearch("auto");
        long before = fusionStats(internalCluster())[ONE_SEARCH];
        search("text_one", fusion, 0, 10, true);
        assertEquals("1 shard: one search", before + 1, fusionStats(internalCluster())[ONE_SEARCH]);
        search("text_three", fusion, 0, 10, true);
        assertEquals("3 shards: two rounds", before + 1, fusionStats(internalCluster())[ONE_SEARCH]);
    }

    /** The fusion in one search (run again in two rounds {@code ranAgain} times) equals it in two rounds: hits, scores, page 2. */
    private void assertOneSearchEqualsTwoRounds(String index, String fusion, int size, int ranAgain) throws Exception {
        oneSearch("never");
        SearchResponse twoRounds = search(index, fusion, 0, size, true);
        oneSearch("always");
        long[] before = fusionStats(internalCluster());
        SearchResponse one = search(index, fusion, 0, size, true);
        long[] after = fusionStats(internalCluster());
        assertTrue(index, one.getHits().getHits().length > 10);
        assertEquals(index, ids(twoRounds), ids(one));
        assertArrayEquals(index, scores(twoRounds), scores(one), 0f);
        assertEquals(index, ids(twoRounds).subList(10, 20), ids(search(index, fusion, 10, 10, true)));
        assertEquals(index, before[ONE_SEARCH] + 1, after[ONE_SEARCH]);
        assertEquals(index, before[RAN_AGAIN] + ranAgain, after[RAN_AGAIN]);
    }

    /**
     * {@code auto} runs a fusion in one search where its shards search their subqueries at once (concurrent segment
     * search on), and in two rounds where they would search them in turn while the node has cores to spare.
     */
    public void testAutoWeighsConcurrentSearchAgainstShardsAndProcessors() throws Exception {
        for (String mode : new String[] { "auto", "none" }) {
            assertAcked(prepareCreate("concurrent_" + mode).setSettings(Settings.builder().put("index.multivector", true)
                .put("number_of_shards", 1).put("number_of_replicas", 0).put("index.search.concurrent_segment_search.mode", mode))
                .setMapping("dense", "type=dense_vector,dims=2,similarity=cosine", "other", "type=dense_vector,dims=2,similarity=cosine"));
            for (int i = 0; i < 20; i++) {
                client().prepareIndex("concurrent_" + mode).setId("c" + i).setSource(Map.of("dense", List.of(1.0, i / 7.0),
                    "other", List.of(i / 5.0, 1.0))).get();
            }
            refresh("concurrent_" + mode);
        }
        String fusion = """
            {"fusion": {"queries": [
              {"vector": {"field": "dense", "query_vector": [1, 0.5], "k": 20, "num_candidates": 100}},
              {"vector": {"field": "other", "query_vector": [1, 0.3], "k": 20, "num_candidates": 100}}]}}""";
        oneSearch("auto");
        long before = fusionStats(internalCluster())[ONE_SEARCH];
        assertEquals(20, search("concurrent_auto", fusion, 0, 20, true).getHits().getHits().length);
        assertEquals("concurrent search on: one search", before + 1, fusionStats(internalCluster())[ONE_SEARCH]);
        assertEquals(20, search("concurrent_none", fusion, 0, 20, true).getHits().getHits().length);
        int processors = OpenSearchExecutors.allocatedProcessors(internalCluster().getInstance(Settings.class));
        assertEquals("concurrent search off, 1 shard, " + processors + " processors", before + (processors > 1 ? 1 : 2),
            fusionStats(internalCluster())[ONE_SEARCH]);
    }

    private SearchResponse search(String index, String query, int from, int size, boolean byReference) throws Exception {
        SearchSourceBuilder source = new SearchSourceBuilder().query(parse(internalCluster(), query)).from(from).size(size)
            .fetchSource(false);
        if (byReference == false) {
            source.explain(true).ext(List.of(new MultiVectorExt(false, false, false)));
        }
        // no random search type, timeout or preference from the test client: they change which path a fusion takes
        return client().prepareSearch(index).setSource(source).setSearchType(SearchType.QUERY_THEN_FETCH).setPreference(null)
            .setTimeout(null).get(TimeValue.timeValueSeconds(30));
    }

    private static float[] scores(SearchResponse response) {
        return toFloats(Arrays.stream(response.getHits().getHits()).map(SearchHit::getScore).toList());
    }

    private static float[] toFloats(List<Float> values) {
        float[] result = new float[values.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = values.get(i);
        }
        return result;
    }
}
