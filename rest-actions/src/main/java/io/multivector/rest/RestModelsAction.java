package io.multivector.rest;

import io.multivector.analysis.ModelDefinition;
import io.multivector.analysis.encoder.ModelKind;
import io.multivector.analysis.ModelRegistry.ModelInfo;
import io.multivector.rest.inference.InferenceService;
import io.multivector.rest.models.ModelAdminAction;
import org.opensearch.rest.action.RestToXContentListener;
import io.multivector.rest.stats.ModelStats;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.BytesRestResponse;
import org.opensearch.rest.RestRequest;
import org.opensearch.transport.client.node.NodeClient;

import java.util.List;
import java.util.Map;

import static org.opensearch.rest.RestRequest.Method.DELETE;
import static org.opensearch.rest.RestRequest.Method.GET;
import static org.opensearch.rest.RestRequest.Method.PUT;

/**
 * {@code GET _plugins/_multivector/models[/<id>]}: the models this node can run, with their state;
 * {@code PUT|DELETE _plugins/_multivector/models/<id>}: register or remove a model for the whole cluster.
 */
public final class RestModelsAction extends BaseRestHandler {

    private final InferenceService inference;

    public RestModelsAction(InferenceService inference) {
        this.inference = inference;
    }

    @Override
    public String getName() {
        return "multivector_models_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(GET, RestPluginInfoAction.BASE_PATH + "/models"),
            new Route(GET, RestPluginInfoAction.BASE_PATH + "/models/{id}"),
            new Route(PUT, RestPluginInfoAction.BASE_PATH + "/models/{id}"),
            new Route(DELETE, RestPluginInfoAction.BASE_PATH + "/models/{id}"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws java.io.IOException {
        String id = request.param("id");
        if (request.method() == PUT || request.method() == DELETE) {
            Map<String, Object> body = null;
            if (request.method() == PUT) {
                try (var parser = request.contentParser()) {
                    body = parser.map();
                }
            }
            ModelAdminAction.Request admin = new ModelAdminAction.Request(id, body);
            return channel -> client.execute(ModelAdminAction.INSTANCE, admin, new RestToXContentListener<>(channel));
        }
        Map<String, ModelInfo> infos = inference.registry().infos();
        if (id != null && infos.containsKey(id) == false) {
            return channel -> {
                XContentBuilder builder = channel.newErrorBuilder();
                builder.startObject().field("error", "model [" + id + "] not found").field("status", 404).endObject();
                channel.sendResponse(new BytesRestResponse(RestStatus.NOT_FOUND, builder));
            };
        }
        Map<String, ModelDefinition> definitions = inference.registry().definitions();
        return channel -> {
            XContentBuilder builder = channel.newBuilder();
            builder.startObject().startObject("models");
            for (ModelInfo info : infos.values()) {
                if (id == null || id.equals(info.id())) {
                    ModelDefinition definition = definitions.get(info.id());
                    ModelStats.of(info).toXContent(builder, definition == null ? null : shown(definition), info.encoding());
                }
            }
            builder.endObject().endObject();
            channel.sendResponse(new BytesRestResponse(RestStatus.OK, builder));
        };
    }

    /** A registration's parameters, only those its kind uses: an image model has no tokens to pool, truncate or pad. */
    static Map<String, Object> shown(ModelDefinition definition) {
        Map<String, Object> map = new java.util.TreeMap<>(definition.toMap());
        ModelKind kind = definition.kind();
        if (kind != ModelKind.TEXT_DENSE) {
            map.remove("pooling");
        }
        if (kind != ModelKind.TEXT_TOKENS) {
            map.remove("query_length");
            map.remove("query_augmentation");
        }
        if (kind == ModelKind.IMAGE) {
            map.remove("max_tokens");
        }
        return map;
    }
}
