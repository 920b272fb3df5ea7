package io.multivector.plugin.fusion;

import org.opensearch.action.search.SearchRequest;
import org.opensearch.core.action.ActionListener;
import org.opensearch.search.pipeline.AbstractProcessor;
import org.opensearch.search.pipeline.PipelineProcessingContext;
import org.opensearch.search.pipeline.Processor;
import org.opensearch.search.pipeline.SearchRequestProcessor;

import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code multivector_fusion}: a search request processor holding fusion defaults (method, rank_constant,
 * normalization, weights, window_size) for the {@code fusion} queries of the requests it sees, so an index can
 * set them through {@code index.search.default_pipeline}; a query's own parameters override them. It runs the
 * fusion where it stands in the pipeline.
 */
public final class FusionProcessor extends AbstractProcessor implements SearchRequestProcessor {

    public static final String TYPE = "multivector_fusion";

    private final FusionOptions defaults;
    private final FusionExecutor executor;

    FusionProcessor(String tag, String description, boolean ignoreFailure, FusionOptions defaults, FusionExecutor executor) {
        super(tag, description, ignoreFailure);
        this.defaults = defaults;
        this.executor = executor;
    }

    @Override
    public String getType() {
        return TYPE;
    }

    @Override
    public SearchRequest processRequest(SearchRequest request) {
        throw new UnsupportedOperationException("[" + TYPE + "] runs its searches asynchronously");
    }

    @Override
    public void processRequestAsync(SearchRequest request, PipelineProcessingContext context, ActionListener<SearchRequest> listener) {
        executor.resolve(request, defaults, FusionExecutor.byReference(request), listener); // FusionActionFilter runs it again if need be
    }

    public static final class Factory implements Processor.Factory<SearchRequestProcessor> {
        private final Supplier<FusionExecutor> executor;

        public Factory(Supplier<FusionExecutor> executor) {
            this.executor = executor;
        }

        @Override
        public SearchRequestProcessor create(Map<String, Processor.Factory<SearchRequestProcessor>> factories, String tag, String description,
                                             boolean ignoreFailure, Map<String, Object> config, PipelineContext context) {
            FusionOptions defaults = FusionOptions.fromConfig(config);
            if (config.isEmpty() == false) {
                throw new IllegalArgumentException("[" + TYPE + "] does not take " + config.keySet() + "; it takes " + FusionOptions.KEYS.stream().sorted().toList());
            }
            return new FusionProcessor(tag, description, ignoreFailure, defaults, executor.get());
        }
    }
}
