package io.multivector.plugin;

import io.multivector.rest.stats.MultiVectorStatsAction;
import org.opensearch.action.admin.cluster.node.info.NodeInfo;
import org.opensearch.action.admin.cluster.node.info.NodesInfoResponse;
import org.opensearch.action.admin.cluster.node.info.PluginsAndModules;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.plugins.Plugin;
import org.opensearch.plugins.PluginInfo;
import org.opensearch.search.SearchHit;
import org.opensearch.test.OpenSearchIntegTestCase;

import static org.opensearch.test.hamcrest.OpenSearchAssertions.assertAcked;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/** A real in-JVM cluster of several nodes, each with the plugin loaded. */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.TEST, numDataNodes = 3)
public class MultiVectorPluginIntegTests extends OpenSearchIntegTestCase {

    @Override
    protected Collection<Class<? extends Plugin>> nodePlugins() {
        return List.of(MultiVectorPlugin.class);
    }

    public void testEveryNodeLoadsThePlugin() {
        NodesInfoResponse response = client().admin().cluster().prepareNodesInfo().addMetric("plugins").get();
        assertFalse(response.getNodes().isEmpty());
        for (NodeInfo node : response.getNodes()) {
            List<String> classnames = node.getInfo(PluginsAndModules.class).getPluginInfos().stream().map(PluginInfo::getClassname).toList();
            assertTrue(node.getNode().getName() + " lacks the plugin: " + classnames, classnames.contains(MultiVectorPlugin.class.getName()));
        }
    }

    public void testStatsComeFromEveryNode() throws Exception {
        MultiVectorStatsAction.Response stats = client().execute(MultiVectorStatsAction.INSTANCE, new MultiVectorStatsAction.Request()).get();
        assertEquals(cluster().size(), stats.getNodes().size());
        assertTrue(stats.failures().isEmpty());
    }

    /**
     * Exact MaxSim ranking (k per shard, the best 5 overall) is the same from every copy and survives losing a node;
     * rebuilt copies give the documents back whole.
     */
    public void testMaxSimSearchSurvivesNodeLoss() throws Exception {
        assertAcked(prepareCreate("mv").setSettings(Settings.builder().put("index.multivector", true).put("number_of_shards", 3)
            .put("number_of_replicas", 1)).setMapping("tokens", "type=multi_vector,dims=2"));
        int numDocs = 40;
        for (int i = 0; i < numDocs; i++) {
            float angle = (float) (i * Math.PI / 2 / numDocs);
            client().prepareIndex("mv").setId(Integer.toString(i)).setSource(Map.of("tokens",
                List.of(List.of(Math.cos(angle), Math.sin(angle)), List.of(-1.0, 0.0))), XContentType.JSON).get();
        }
        refresh("mv");
        ensureGreen("mv");
        // a promoted primary resyncs operations its replicas may already hold, with their sources read back from
        // the index (see plugin/pom.xml on OpenSearch's byte-equality assertion for those)
        String query = "{\"vector\": {\"field\": \"tokens\", \"query_vectors\": [[1, 0]], \"k\": 5}}";
        List<String> before = ids(client().prepareSearch("mv").setQuery(org.opensearch.index.query.QueryBuilders.wrapperQuery(query))
            .setSize(5).get());
        assertEquals(List.of("0", "1", "2", "3", "4"), before);
        internalCluster().stopRandomDataNode();
        ensureYellow("mv");
        for (int i = 0; i < 5; i++) {
            SearchResponse after = client().prepareSearch("mv").setQuery(org.opensearch.index.query.QueryBuilders.wrapperQuery(query))
                .setSize(5).get();
            assertEquals(0, after.getFailedShards());
            assertEquals(before, ids(after));
        }
        // the lost copies are rebuilt on the nodes left; every copy reads its sources back with their vectors,
        // which the stored sources keep only as masks
        ensureGreen("mv");
        for (String preference : new String[] { "_primary", "_replica" }) {
            for (int i = 0; i < numDocs; i++) {
                float angle = (float) (i * Math.PI / 2 / numDocs);
                Map<String, Object> source = client().prepareGet("mv", Integer.toString(i)).setRealtime(false).setPreference(preference)
                    .get().getSourceAsMap();
                List<?> tokens = (List<?>) source.get("tokens");
                assertEquals(preference + " doc " + i, (float) Math.cos(angle), ((Number) ((List<?>) tokens.get(0)).get(0)).floatValue(), 0f);
                assertEquals(preference + " doc " + i, (float) Math.sin(angle), ((Number) ((List<?>) tokens.get(0)).get(1)).floatValue(), 0f);
                assertEquals(-1f, ((Number) ((List<?>) tokens.get(1)).get(0)).floatValue(), 0f);
            }
        }
    }

    private static List<String> ids(SearchResponse response) {
        return java.util.Arrays.stream(response.getHits().getHits()).map(SearchHit::getId).toList();
    }
}
