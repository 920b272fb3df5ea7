package io.multivector.plugin;

import io.multivector.rest.PluginInventory;
import io.multivector.rest.RestPluginInfoAction;
import org.opensearch.Version;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.cluster.node.DiscoveryNodes;
import org.opensearch.common.settings.ClusterSettings;
import org.opensearch.common.settings.IndexScopedSettings;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.settings.SettingsFilter;
import org.opensearch.plugins.ActionPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.rest.RestController;
import org.opensearch.rest.RestHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;

/** Entry point of the multivector plugin: everything it adds to a node is registered here. */
public class MultiVectorPlugin extends Plugin implements ActionPlugin {

    public static final String VERSION = readVersion();

    @Override
    public List<RestHandler> getRestHandlers(Settings settings, RestController restController, ClusterSettings clusterSettings,
                                             IndexScopedSettings indexScopedSettings, SettingsFilter settingsFilter,
                                             IndexNameExpressionResolver resolver, Supplier<DiscoveryNodes> nodes) {
        return List.of(new RestPluginInfoAction(this::inventory));
    }

    /** Built from the same methods that register things with OpenSearch, so it is always honest. */
    PluginInventory inventory() {
        return PluginInventory.of(VERSION, Version.CURRENT.toString(), org.apache.lucene.util.Version.LATEST.toString(), Map.of(
            "field_types", List.of(),
            "queries", List.of(),
            "ingest_processors", List.of(),
            "search_pipeline_processors", List.of(),
            "codecs", List.of(),
            "models", List.of()
        ));
    }

    private static String readVersion() {
        try (InputStream in = MultiVectorPlugin.class.getResourceAsStream("version.properties")) {
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
