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
import io.multivector.plugin.codec.MultiVectorCodecServiceFactory;
import io.multivector.plugin.codec.MultiVectorIndexSettings;
import io.multivector.plugin.mapper.DenseVectorFieldMapper;
import io.multivector.plugin.mapper.MultiVectorFieldMapper;
import io.multivector.plugin.query.VectorQueryBuilder;
import org.opensearch.common.settings.Setting;
import org.opensearch.index.IndexSettings;
import org.opensearch.index.codec.CodecServiceFactory;
import org.opensearch.index.mapper.Mapper;
import org.opensearch.plugins.ActionPlugin;
import org.opensearch.plugins.EnginePlugin;
import org.opensearch.plugins.MapperPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.plugins.SearchPlugin;
import org.opensearch.rest.RestController;
import org.opensearch.rest.RestHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;

/** Entry point of the multivector plugin: everything it adds to a node is registered here. */
public class MultiVectorPlugin extends Plugin implements ActionPlugin, MapperPlugin, SearchPlugin, EnginePlugin {

    public static final String VERSION = readVersion();

    @Override
    public List<Setting<?>> getSettings() {
        return List.of(MultiVectorIndexSettings.ENABLED);
    }

    @Override
    public Map<String, Mapper.TypeParser> getMappers() {
        return Map.of(
            MultiVectorFieldMapper.CONTENT_TYPE, MultiVectorFieldMapper.PARSER,
            DenseVectorFieldMapper.CONTENT_TYPE, DenseVectorFieldMapper.PARSER
        );
    }

    @Override
    public List<QuerySpec<?>> getQueries() {
        return List.of(new QuerySpec<>(VectorQueryBuilder.NAME, VectorQueryBuilder::new, VectorQueryBuilder::fromXContent));
    }

    @Override
    public Optional<CodecServiceFactory> getCustomCodecServiceFactory(IndexSettings indexSettings) {
        if (MultiVectorIndexSettings.codecEnabled(indexSettings.getSettings())) {
            return Optional.of(new MultiVectorCodecServiceFactory());
        }
        return Optional.empty();
    }

    @Override
    public List<RestHandler> getRestHandlers(Settings settings, RestController restController, ClusterSettings clusterSettings,
                                             IndexScopedSettings indexScopedSettings, SettingsFilter settingsFilter,
                                             IndexNameExpressionResolver resolver, Supplier<DiscoveryNodes> nodes) {
        return List.of(new RestPluginInfoAction(this::inventory));
    }

    /** Built from the same methods that register things with OpenSearch, so it is always honest. */
    PluginInventory inventory() {
        return PluginInventory.of(VERSION, Version.CURRENT.toString(), org.apache.lucene.util.Version.LATEST.toString(), Map.of(
            "field_types", List.copyOf(getMappers().keySet()),
            "queries", getQueries().stream().map(spec -> spec.getName().getPreferredName()).toList(),
            "ingest_processors", List.of(),
            "search_pipeline_processors", List.of(),
            "codecs", List.of(io.multivector.codec.MultiVectorCodec.NAME),
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
