package io.multivector.plugin;

import org.opensearch.action.admin.cluster.node.info.NodeInfo;
import org.opensearch.action.admin.cluster.node.info.NodesInfoResponse;
import org.opensearch.plugins.Plugin;
import org.opensearch.plugins.PluginInfo;
import org.opensearch.action.admin.cluster.node.info.PluginsAndModules;
import org.opensearch.test.OpenSearchIntegTestCase;

import java.util.Collection;
import java.util.List;

/** A real in-JVM cluster of several nodes, each with the plugin loaded. */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 2)
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
}
