package io.multivector.plugin;

import io.multivector.analysis.ModelRegistry;
import io.multivector.plugin.ingest.LazyProcessorFactory;
import io.multivector.plugin.ingest.MultiVectorEmbedProcessor;
import io.multivector.plugin.fusion.FusedDocsQueryBuilder;
import io.multivector.plugin.fusion.DocRefs;
import io.multivector.plugin.fusion.FusionListsAggregationBuilder;
import io.multivector.plugin.fusion.FusionListsProcessor;
import io.multivector.plugin.fusion.FusionListsQueryBuilder;
import io.multivector.plugin.fusion.OneSearchFusion;
import io.multivector.plugin.fusion.InternalFusionLists;
import io.multivector.plugin.fusion.InternalTopDocRefs;
import io.multivector.plugin.fusion.TopDocRefsAggregationBuilder;
import io.multivector.plugin.fusion.FusionActionFilter;
import io.multivector.plugin.fusion.FusionExecutor;
import io.multivector.plugin.fusion.FusionHitFields;
import io.multivector.plugin.fusion.FusionProcessor;
import io.multivector.plugin.fusion.FusionQueryBuilder;
import io.multivector.plugin.query.FieldModels;
import org.opensearch.plugins.SearchPipelinePlugin;
import org.opensearch.search.pipeline.SearchPhaseResultsProcessor;
import org.opensearch.search.pipeline.SystemGeneratedProcessor;
import org.opensearch.search.pipeline.SearchRequestProcessor;
import io.multivector.plugin.search.HideVectorsFetchSubPhase;
import org.opensearch.search.fetch.FetchSubPhase;
import io.multivector.plugin.search.MultiVectorExt;
import io.multivector.plugin.search.ScrollKeepsVectorsFilter;
import io.multivector.rest.PluginInventory;
import org.opensearch.action.support.ActionFilter;
import io.multivector.analysis.image.ImageDecoder;
import io.multivector.rest.RestEncodeAction;
import io.multivector.rest.stats.FusionInFlight;
import io.multivector.rest.RestModelsAction;
import io.multivector.rest.RestStatsAction;
import io.multivector.rest.inference.InferenceService;
import io.multivector.rest.stats.MultiVectorStatsAction;
import io.multivector.rest.models.ConfigModelSource;
import io.multivector.rest.models.ModelAdminAction;
import io.multivector.rest.models.ModelsMetadata;
import org.opensearch.cluster.NamedDiff;
import org.opensearch.cluster.metadata.Metadata;
import org.opensearch.core.ParseField;
import org.apache.lucene.util.SetOnce;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.core.common.io.stream.NamedWriteableRegistry;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.env.Environment;
import org.opensearch.env.NodeEnvironment;
import org.opensearch.ingest.Processor;
import org.opensearch.plugins.IngestPlugin;
import org.opensearch.repositories.RepositoriesService;
import org.opensearch.script.ScriptService;
import org.opensearch.threadpool.ExecutorBuilder;
import org.opensearch.threadpool.FixedExecutorBuilder;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.client.Client;
import org.opensearch.watcher.ResourceWatcherService;
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
import io.multivector.plugin.mapper.MappingModelsFilter;
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
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;

/** Entry point of the multivector plugin: everything it adds to a node is registered here. */
public class MultiVectorPlugin extends Plugin implements ActionPlugin, MapperPlugin, SearchPlugin, EnginePlugin, IngestPlugin,
    SearchPipelinePlugin {

    public static final String VERSION = readVersion();

    /** onnxruntime threads per inference, and inferences at once: bounded, so encoding never starves search. */
    static final Setting<Integer> INFERENCE_THREADS = Setting.intSetting("plugins.multivector.inference.threads",
        Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2)), 1, 64, Setting.Property.NodeScope);

    /** Pixels an image may declare before it is decoded (see {@link ImageDecoder#DEFAULT_MAX_PIXELS}). */
    static final Setting<Long> IMAGE_MAX_PIXELS = Setting.longSetting(ImageDecoder.MAX_PIXELS_SETTING, ImageDecoder.DEFAULT_MAX_PIXELS, 1,
        Setting.Property.NodeScope, Setting.Property.Dynamic);

    private final SetOnce<InferenceService> inference = new SetOnce<>();
    private final SetOnce<FieldModels> fieldModels = new SetOnce<>();
    private final SetOnce<FusionExecutor> fusion = new SetOnce<>();
    private final SetOnce<ClusterService> clusterService = new SetOnce<>();

    @Override
    public Collection<Object> createComponents(Client client, ClusterService clusterService, ThreadPool threadPool,
                                               ResourceWatcherService resourceWatcherService, ScriptService scriptService,
                                               NamedXContentRegistry xContentRegistry, Environment environment,
                                               NodeEnvironment nodeEnvironment, NamedWriteableRegistry namedWriteableRegistry,
                                               IndexNameExpressionResolver resolver, Supplier<RepositoriesService> repositories) {
        ModelRegistry registry = new ModelRegistry(INFERENCE_THREADS.get(environment.settings()),
            new ConfigModelSource(clusterService, environment.configDir()));
        inference.set(new InferenceService(registry, threadPool));
        clusterService.addListener(event -> {
            if (event.metadataChanged()) {
                registry.unloadStale(); // a deleted or redefined model frees its session in every node
            }
        });
        fieldModels.set(new FieldModels(clusterService, resolver));
        VectorQueryBuilder.initialize(inference.get(), fieldModels.get());
        VectorQueryBuilder.setMaxK(VectorQueryBuilder.MAX_K.get(environment.settings()));
        ImageDecoder.setMaxPixels(IMAGE_MAX_PIXELS.get(environment.settings()));
        clusterService.getClusterSettings().addSettingsUpdateConsumer(IMAGE_MAX_PIXELS, ImageDecoder::setMaxPixels);
        clusterService.getClusterSettings().addSettingsUpdateConsumer(VectorQueryBuilder.MAX_K, VectorQueryBuilder::setMaxK);
        FusionInFlight fusionInFlight = new FusionInFlight();
        fusion.set(new FusionExecutor(client, xContentRegistry, fusionInFlight));
        fusion.get().setMaxWindowHits(FusionExecutor.MAX_WINDOW_HITS.get(environment.settings()));
        clusterService.getClusterSettings().addSettingsUpdateConsumer(FusionExecutor.MAX_WINDOW_HITS, fusion.get()::setMaxWindowHits);
        this.clusterService.set(clusterService);
        return List.of(inference.get(), fusionInFlight);
    }

    @Override
    public List<ExecutorBuilder<?>> getExecutorBuilders(Settings settings) {
        return List.of(new FixedExecutorBuilder(settings, InferenceService.THREAD_POOL, INFERENCE_THREADS.get(settings), 1000,
            "thread_pool." + InferenceService.THREAD_POOL));
    }

    @Override
    public Map<String, Processor.Factory> getProcessors(Processor.Parameters parameters) {
        return Map.of(MultiVectorEmbedProcessor.TYPE, new LazyProcessorFactory(() -> new MultiVectorEmbedProcessor.Factory(inference.get(),
            fieldModels.get(), parameters.client)));
    }

    @Override
    public void close() throws IOException {
        if (inference.get() != null) {
            try {
                inference.get().close();
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
    }

    @Override
    public List<Setting<?>> getSettings() {
        return List.of(MultiVectorIndexSettings.ENABLED, INFERENCE_THREADS, FusionExecutor.MAX_WINDOW_HITS, OneSearchFusion.MODE, VectorQueryBuilder.MAX_K,
            RestEncodeAction.MAX_INPUTS, IMAGE_MAX_PIXELS);
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
        return List.of(new QuerySpec<>(VectorQueryBuilder.NAME, VectorQueryBuilder::new, VectorQueryBuilder::fromXContent),
            new QuerySpec<>(FusionQueryBuilder.NAME, FusionQueryBuilder::new, FusionQueryBuilder::fromXContent),
            new QuerySpec<>(FusedDocsQueryBuilder.NAME, FusedDocsQueryBuilder::new, FusedDocsQueryBuilder::fromXContent),
            new QuerySpec<>(FusionListsQueryBuilder.NAME, FusionListsQueryBuilder::new, FusionListsQueryBuilder::fromXContent));
    }

    /** A search's best documents by reference: how a fusion's vector subqueries return their lists with no fetch phase. */
    @Override
    public List<AggregationSpec> getAggregations() {
        return List.of(new AggregationSpec(TopDocRefsAggregationBuilder.NAME, TopDocRefsAggregationBuilder::new,
            TopDocRefsAggregationBuilder::parse).addResultReader(InternalTopDocRefs::new),
            new AggregationSpec(FusionListsAggregationBuilder.NAME, FusionListsAggregationBuilder::new,
                FusionListsAggregationBuilder::parse).addResultReader(InternalFusionLists::new));
    }

    @Override
    public List<FetchSubPhase> getFetchSubPhases(FetchPhaseConstructionContext context) {
        return List.of(new HideVectorsFetchSubPhase(), new FusionHitFields(), new DocRefs());
    }

    @Override
    public List<SearchExtSpec<?>> getSearchExts() {
        return List.of(new SearchExtSpec<>(MultiVectorExt.NAME, MultiVectorExt::new, MultiVectorExt::fromXContent));
    }

    @Override
    public List<ActionFilter> getActionFilters() {
        return List.of(new ScrollKeepsVectorsFilter(), new MappingModelsFilter(inference::get, fieldModels::get),
            new FusionActionFilter(clusterService::get, fusion::get));
    }

    @Override
    public Map<String, org.opensearch.search.pipeline.Processor.Factory<SearchRequestProcessor>> getRequestProcessors(
        SearchPipelinePlugin.Parameters parameters) {
        return Map.of(FusionProcessor.TYPE, new FusionProcessor.Factory(fusion::get));
    }

    /** Fuses a fusion run as one search, between its query and fetch phases (when the cluster enables it). */
    @Override
    public Map<String, SystemGeneratedProcessor.SystemGeneratedFactory<SearchPhaseResultsProcessor>>
        getSystemGeneratedSearchPhaseResultsProcessors(SearchPipelinePlugin.Parameters parameters) {
        return Map.of(FusionListsProcessor.FACTORY, new FusionListsProcessor.Factory());
    }

    @Override
    public Optional<CodecServiceFactory> getCustomCodecServiceFactory(IndexSettings indexSettings) {
        if (MultiVectorIndexSettings.codecEnabled(indexSettings.getSettings())) {
            return Optional.of(new MultiVectorCodecServiceFactory());
        }
        return Optional.empty();
    }

    @Override
    public List<ActionHandler<?, ?>> getActions() {
        return List.of(new ActionHandler<>(MultiVectorStatsAction.INSTANCE, MultiVectorStatsAction.Transport.class),
            new ActionHandler<>(ModelAdminAction.INSTANCE, ModelAdminAction.Transport.class));
    }

    @Override
    public List<NamedWriteableRegistry.Entry> getNamedWriteables() {
        return List.of(new NamedWriteableRegistry.Entry(Metadata.Custom.class, ModelsMetadata.TYPE, ModelsMetadata::new),
            new NamedWriteableRegistry.Entry(NamedDiff.class, ModelsMetadata.TYPE, ModelsMetadata::readDiffFrom));
    }

    @Override
    public List<NamedXContentRegistry.Entry> getNamedXContent() {
        return List.of(new NamedXContentRegistry.Entry(Metadata.Custom.class, new ParseField(ModelsMetadata.TYPE),
            ModelsMetadata::fromXContent));
    }

    @Override
    public List<RestHandler> getRestHandlers(Settings settings, RestController restController, ClusterSettings clusterSettings,
                                             IndexScopedSettings indexScopedSettings, SettingsFilter settingsFilter,
                                             IndexNameExpressionResolver resolver, Supplier<DiscoveryNodes> nodes) {
        return List.of(new RestPluginInfoAction(this::inventory), new RestEncodeAction(inference.get(), settings, clusterSettings),
            new RestStatsAction(), new RestModelsAction(inference.get()));
    }

    /** Built from the same methods that register things with OpenSearch, so it is always honest. */
    PluginInventory inventory() {
        return PluginInventory.of(VERSION, Version.CURRENT.toString(), org.apache.lucene.util.Version.LATEST.toString(), Map.of(
            "field_types", List.copyOf(getMappers().keySet()),
            "queries", getQueries().stream().map(spec -> spec.getName().getPreferredName()).toList(),
            "ingest_processors", List.of(MultiVectorEmbedProcessor.TYPE),
            "search_pipeline_processors", List.copyOf(getRequestProcessors(null).keySet()),
            "codecs", List.of(io.multivector.codec.MultiVectorCodec.NAME, io.multivector.codec.MultiVectorCodec10.NAME),
            "formats", List.of(io.multivector.codec.multivector.MultiVector10DocValuesFormat.NAME,
                io.multivector.codec.multivector.MultiVector11DocValuesFormat.NAME,
                io.multivector.codec.dense.L1HnswVectorsFormat.NAME),
            "maxsim_kernels", io.multivector.codec.multivector.MaxSim.kernels(),
            "models", inference.get() == null ? ModelRegistry.BUILT_INS.stream().sorted().toList() : inference.get().registry().ids()
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
