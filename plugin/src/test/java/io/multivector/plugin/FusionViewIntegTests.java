package io.multivector.plugin;

import io.multivector.plugin.search.MultiVectorExt;
import org.opensearch.action.search.SearchPhaseExecutionException;
import org.opensearch.action.search.PutSearchPipelineRequest;
import org.opensearch.action.search.SearchRequest;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.core.common.bytes.BytesArray;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.plugins.Plugin;
import org.opensearch.search.SearchHit;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.test.OpenSearchIntegTestCase;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.multivector.plugin.FusionTestSupport.fusionStats;
import static io.multivector.plugin.FusionTestSupport.ids;
import static io.multivector.plugin.FusionTestSupport.parse;
import static org.opensearch.test.hamcrest.OpenSearchAssertions.assertAcked;

/**
 * A fused list by reference holds Lucene doc ids of the reader view its subqueries saw: it is never used with another
 * view. A list sent with another view fails and says so; a fusion that meets a refresh with changes between its
 * rounds runs again, and the user sees only a complete answer.
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.TEST, numDataNodes = 2)
public class FusionViewIntegTests extends OpenSearchIntegTestCase {

    @Override
    protected Collection<Class<? extends Plugin>> nodePlugins() {
        return List.of(MultiVectorPlugin.class);
    }

    private void createIndex() {
        assertAcked(prepareCreate("live").setSettings(Settings.builder().put("index.multivector", true).put("number_of_shards", 2)
            .put("number_of_replicas", 0).put("refresh_interval", "-1")).setMapping("title", "type=text",
                "dense", "type=dense_vector,dims=2,similarity=cosine"));
        for (int i = 0; i < 200; i++) {
            index(i);
        }
        refresh("live");
    }

    private void index(int i) {
        double angle = i * 0.01;
        client().prepareIndex("live").setId(Integer.toString(i))
            .setSource(Map.of("title", (i % 2 == 0 ? "warm " : "cold ") + "jacket " + i, "dense", List.of(Math.cos(angle), Math.sin(angle)))).get();
    }

    public void testAListByReferenceIsRefusedByAnotherView() throws Exception {
        createIndex();
        QueryBuilder stale = parse(internalCluster(), """
            {"fused_docs": {"method": "rrf", "subqueries": ["a"], "docs": [{"_index": "live", "_ref": [0, 0, 12345], "score": 1,
              "fused_score": 1, "fused_rank": 1, "ranks": [1], "scores": [1], "contributions": [1]}]}}""");
        SearchPhaseExecutionException e = expectThrows(SearchPhaseExecutionException.class,
            () -> client().prepareSearch("live").setPreference("_shards:0").setQuery(stale).get());
        assertTrue(e.shardFailures()[0].reason(), e.shardFailures()[0].reason().contains("the shard's reader changed"));
    }

    public void testAFusionThatMeetsAChangedViewRunsAgain() throws Exception {
        createIndex();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger next = new AtomicInteger(200);
        Thread writer = new Thread(() -> {
            while (stop.get() == false) {
                index(next.getAndIncrement());
                client().admin().indices().prepareRefresh("live").get();
            }
        });
        writer.start();
        try {
            QueryBuilder fusion = parse(internalCluster(), """
                {"fusion": {"window_size": 50, "queries": [{"match": {"title": "warm jacket"}},
                  {"vector": {"field": "dense", "query_vector": [1, 0.5], "k": 50, "num_candidates": 100}}]}}""");
            assertAcked(client().admin().cluster().putSearchPipeline(new PutSearchPipelineRequest("fused", new BytesArray("""
                {"request_processors": [{"multivector_fusion": {}}]}"""), XContentType.JSON)).actionGet());
            for (int i = 0; i < 60; i++) { // every other one through a pipeline's processor
                SearchResponse response = client().search(new SearchRequest("live").pipeline(i % 2 == 0 ? null : "fused")
                    .source(new SearchSourceBuilder().query(fusion).size(20).fetchSource(false))).actionGet();
                assertEquals(0, response.getShardFailures().length);
                assertEquals(20, response.getHits().getHits().length);
                for (SearchHit hit : response.getHits().getHits()) {
                    assertNotNull(hit.getId());
                }
            }
        } finally {
            stop.set(true);
            writer.join();
        }
        long[] stats = fusionStats(internalCluster());
        assertTrue("by reference: " + stats[4], stats[4] > 0);
        assertTrue("a refresh with changes every few milliseconds must meet some of 60 fusions: " + stats[5], stats[5] > 0);
    }

    public void testAPipelinesFusionGoesByReferenceUnlessTheRequestSaysById() throws Exception {
        createIndex();
        assertAcked(client().admin().cluster().putSearchPipeline(new PutSearchPipelineRequest("fused", new BytesArray("""
            {"request_processors": [{"multivector_fusion": {"method": "dbsf"}}]}"""), XContentType.JSON)).actionGet());
        QueryBuilder fusion = parse(internalCluster(), """
            {"fusion": {"queries": [{"match": {"title": "warm jacket"}}, {"vector": {"field": "dense", "query_vector": [1, 0.5], "k": 20}}]}}""");
        long[] before = fusionStats(internalCluster());
        SearchResponse byReference = client().search(new SearchRequest("live").pipeline("fused")
            .source(new SearchSourceBuilder().query(fusion))).actionGet();
        long[] between = fusionStats(internalCluster());
        SearchResponse byId = client().search(new SearchRequest("live").pipeline("fused")
            .source(new SearchSourceBuilder().query(fusion).ext(List.of(new MultiVectorExt(false, false, false))))).actionGet();
        long[] after = fusionStats(internalCluster());
        assertEquals(1, between[4] - before[4]);
        assertEquals("fusion_by_reference: false", 0, after[4] - between[4]);
        assertEquals(Arrays.toString(after), 2, after[3] - before[3]);
        assertEquals(ids(byReference), ids(byId));
    }



}
