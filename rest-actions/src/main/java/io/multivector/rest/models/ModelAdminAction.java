package io.multivector.rest.models;

import io.multivector.analysis.ModelDefinition;
import io.multivector.analysis.ModelRegistry;
import io.multivector.rest.inference.InferenceService;
import org.opensearch.action.ActionRequestValidationException;
import org.opensearch.action.ActionType;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.clustermanager.AcknowledgedResponse;
import org.opensearch.action.support.clustermanager.ClusterManagerNodeRequest;
import org.opensearch.action.support.clustermanager.TransportClusterManagerNodeAction;
import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.ClusterStateUpdateTask;
import org.opensearch.cluster.block.ClusterBlockException;
import org.opensearch.cluster.block.ClusterBlockLevel;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.cluster.metadata.Metadata;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.inject.Inject;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportService;

import java.io.IOException;
import java.util.Map;

/**
 * Registers or deletes a model, on the cluster-manager node: the definition is checked there (its files load and
 * give the declared dims) and then written to the cluster state, which every node applies.
 */
public final class ModelAdminAction extends ActionType<AcknowledgedResponse> {

    public static final String NAME = "cluster:admin/multivector/models/write";
    public static final ModelAdminAction INSTANCE = new ModelAdminAction();

    private ModelAdminAction() {
        super(NAME, AcknowledgedResponse::new);
    }

    /** A definition to register, or, with a null body, the id to delete. */
    public static final class Request extends ClusterManagerNodeRequest<Request> {
        final String id;
        final Map<String, Object> body;

        public Request(String id, Map<String, Object> body) {
            this.id = id;
            this.body = body;
        }

        public Request(StreamInput in) throws IOException {
            super(in);
            id = in.readString();
            body = in.readBoolean() ? in.readMap() : null;
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            super.writeTo(out);
            out.writeString(id);
            out.writeBoolean(body != null);
            if (body != null) {
                out.writeMap(body);
            }
        }

        @Override
        public ActionRequestValidationException validate() {
            return null;
        }
    }

    public static final class Transport extends TransportClusterManagerNodeAction<Request, AcknowledgedResponse> {
        private final InferenceService inference;

        @Inject
        public Transport(TransportService transportService, ClusterService clusterService, ThreadPool threadPool, ActionFilters actionFilters,
                         IndexNameExpressionResolver resolver, InferenceService inference) {
            super(NAME, transportService, clusterService, threadPool, actionFilters, Request::new, resolver);
            this.inference = inference;
        }

        @Override
        protected String executor() {
            return InferenceService.THREAD_POOL; // loading a model to check it takes a while
        }

        @Override
        protected AcknowledgedResponse read(StreamInput in) throws IOException {
            return new AcknowledgedResponse(in);
        }

        @Override
        protected ClusterBlockException checkBlock(Request request, ClusterState state) {
            return state.blocks().globalBlockedException(ClusterBlockLevel.METADATA_WRITE);
        }

        @Override
        protected void clusterManagerOperation(Request request, ClusterState state, ActionListener<AcknowledgedResponse> listener) {
            if (ModelRegistry.BUILT_INS.contains(request.id)) {
                listener.onFailure(new IllegalArgumentException("model [" + request.id + "] is built in and cannot be changed or deleted"));
                return;
            }
            ModelDefinition definition = null;
            if (request.body != null) {
                try {
                    definition = ModelDefinition.fromMap(request.id, request.body);
                    inference.registry().verify(definition);
                } catch (Exception e) {
                    listener.onFailure(e);
                    return;
                }
            } else if (ModelsMetadata.of(state).models().containsKey(request.id) == false) {
                listener.onFailure(new org.opensearch.ResourceNotFoundException("model [" + request.id + "] not found"));
                return;
            }
            ModelDefinition toWrite = definition;
            clusterService.submitStateUpdateTask("multivector-model-" + request.id, new ClusterStateUpdateTask() {
                @Override
                public ClusterState execute(ClusterState current) {
                    ModelsMetadata models = ModelsMetadata.of(current);
                    ModelsMetadata updated = toWrite == null ? models.without(request.id) : models.with(toWrite);
                    return ClusterState.builder(current)
                        .metadata(Metadata.builder(current.metadata()).putCustom(ModelsMetadata.TYPE, updated))
                        .build();
                }

                @Override
                public void onFailure(String source, Exception e) {
                    listener.onFailure(e);
                }

                @Override
                public void clusterStateProcessed(String source, ClusterState oldState, ClusterState newState) {
                    listener.onResponse(new AcknowledgedResponse(true));
                }
            });
        }
    }
}
