package io.multivector.plugin.fusion;

import org.opensearch.action.ActionRequest;
import org.opensearch.action.search.SearchAction;
import org.opensearch.action.search.SearchRequest;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.action.support.ActionFilter;
import org.opensearch.action.support.ActionFilterChain;
import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.action.ActionResponse;
import org.opensearch.index.IndexSettings;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.search.pipeline.PipelineConfiguration;
import org.opensearch.search.pipeline.SearchPipelineMetadata;
import org.opensearch.tasks.Task;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A {@code fusion} query needs no pipeline: searches whose search pipeline has no {@code multivector_fusion}
 * processor (most have no pipeline at all) are fused here, with the built-in defaults, before the search action
 * runs. Searches whose pipeline has one are left to that processor, which runs with the pipeline's defaults in its
 * place in the pipeline. Either way, a search whose fused list by reference met another reader view runs again from
 * here, by id. {@code _msearch} items come through here one by one, like any search.
 */
public final class FusionActionFilter implements ActionFilter {

    private final Supplier<ClusterService> clusterService;
    private final Supplier<FusionExecutor> executor;

    public FusionActionFilter(Supplier<ClusterService> clusterService, Supplier<FusionExecutor> executor) {
        this.clusterService = clusterService;
        this.executor = executor;
    }

    @Override
    public int order() {
        return 10;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <Request extends ActionRequest, Response extends ActionResponse> void apply(Task task, String action, Request request,
                                                                                       ActionListener<Response> listener,
                                                                                       ActionFilterChain<Request, Response> chain) {
        if (SearchAction.NAME.equals(action) && request instanceof SearchRequest search && search.source() != null
            && search.source().query() instanceof FusionListsQueryBuilder) {
            listener.onFailure(new IllegalArgumentException(FusionListsQueryBuilder.NOT_BY_HAND));
            return;
        }
        if (SearchAction.NAME.equals(action) == false || request instanceof SearchRequest == false
            || FusionExecutor.isFusion((SearchRequest) request) == false) {
            chain.proceed(task, action, request, listener);
            return;
        }
        SearchRequest search = (SearchRequest) request;
        ActionListener<Response> again = (ActionListener<Response>) againIfViewChanged(search, (ActionListener<SearchResponse>) listener);
        if (pipelineFuses(search)) {
            chain.proceed(task, action, request, again); // the pipeline's processor fuses, with its defaults
            return;
        }
        if (FusionExecutor.byReference(search) && OneSearchFusion.chosen(search, clusterService.get())) {
            SearchRequest one = executor.get().oneSearch(search);
            if (one != null) {
                chain.proceed(task, action, (Request) one,
                    (ActionListener<Response>) executor.get().oneSearchListener(search, (ActionListener<SearchResponse>) listener));
                return;
            }
        }
        executor.get().resolve(search, FusionOptions.NONE, FusionExecutor.byReference(search), ActionListener.wrap(
            fused -> chain.proceed(task, action, (Request) fused, again), listener::onFailure));
    }

    /**
     * A fused list by reference found another reader view on a shard (a refresh with changes came in between): the
     * request runs again as it came, by id; the first response is dropped.
     */
    private ActionListener<SearchResponse> againIfViewChanged(SearchRequest request, ActionListener<SearchResponse> listener) {
        SearchSourceBuilder original = request.source();
        String preference = request.preference();
        Runnable again = () -> {
            request.source(original);
            request.preference(preference);
            executor.get().searchAgainById(request, listener);
        };
        return ActionListener.wrap(response -> {
            if (FusionExecutor.viewChanged(response)) {
                again.run();
            } else {
                listener.onResponse(response);
            }
        }, e -> {
            if (FusionExecutor.viewChanged(e)) {
                again.run();
            } else {
                listener.onFailure(e);
            }
        });
    }

    /** Whether the pipeline OpenSearch will run for this request holds a {@code multivector_fusion} processor (as core resolves it). */
    private boolean pipelineFuses(SearchRequest request) {
        if (request.source().searchPipelineSource() != null) {
            return hasFusionProcessor(request.source().searchPipelineSource());
        }
        ClusterState state = clusterService.get().state();
        String id = request.pipeline() != null ? request.pipeline() : request.source().pipeline();
        if (id == null && request.indices() != null && request.indices().length == 1) {
            IndexMetadata index = state.metadata().index(request.indices()[0]);
            if (index != null && IndexSettings.DEFAULT_SEARCH_PIPELINE.exists(index.getSettings())) {
                id = IndexSettings.DEFAULT_SEARCH_PIPELINE.get(index.getSettings());
            }
        }
        SearchPipelineMetadata pipelines = state.metadata().custom(SearchPipelineMetadata.TYPE);
        if (id == null || pipelines == null) {
            return false;
        }
        PipelineConfiguration pipeline = pipelines.getPipelines().get(id);
        return pipeline != null && hasFusionProcessor(pipeline.getConfigAsMap());
    }

    private static boolean hasFusionProcessor(Map<String, Object> pipeline) {
        if (pipeline.get("request_processors") instanceof List<?> processors) {
            return processors.stream().anyMatch(p -> p instanceof Map<?, ?> m && m.containsKey(FusionProcessor.TYPE));
        }
        return false;
    }
}
