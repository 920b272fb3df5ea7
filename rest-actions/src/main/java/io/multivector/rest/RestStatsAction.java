package io.multivector.rest;

import io.multivector.analysis.ModelRegistry.ModelInfo;
import io.multivector.rest.inference.InferenceService;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.BytesRestResponse;
import org.opensearch.rest.RestRequest;
import org.opensearch.transport.client.node.NodeClient;

import java.io.IOException;
import java.util.List;

import static org.opensearch.rest.RestRequest.Method.GET;

/**
 * {@code GET _plugins/_multivector/stats}: per model, in the node that answers: loaded, inferences, documents,
 * mean and p99 latency of a batch, and the model's memory.
 */
public final class RestStatsAction extends BaseRestHandler {

    private final InferenceService inference;

    public RestStatsAction(InferenceService inference) {
        this.inference = inference;
    }

    @Override
    public String getName() {
        return "multivector_stats_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(GET, RestPluginInfoAction.BASE_PATH + "/stats"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        String nodeId = client.getLocalNodeId();
        return channel -> {
            XContentBuilder builder = channel.newBuilder();
            builder.startObject().startObject("nodes").startObject(nodeId).startObject("models");
            for (ModelInfo info : inference.registry().infos().values()) {
                writeModel(builder, info);
            }
            builder.endObject().endObject().endObject().endObject();
            channel.sendResponse(new BytesRestResponse(RestStatus.OK, builder));
        };
    }

    static void writeModel(XContentBuilder builder, ModelInfo info) throws IOException {
        builder.startObject(info.id());
        builder.field("kind", info.kind().jsonName()).field("dims", info.dims()).field("built_in", info.builtIn());
        builder.field("loaded", info.loaded()).field("memory_bytes", info.memoryBytes());
        builder.field("inferences", info.stats() == null ? 0 : info.stats().inferences());
        builder.field("documents", info.stats() == null ? 0 : info.stats().documents());
        builder.startObject("latency_ms");
        builder.field("mean", info.stats() == null ? 0 : info.stats().meanMillis());
        builder.field("p99", info.stats() == null ? 0 : info.stats().p99Millis());
        builder.endObject();
        builder.endObject();
    }
}
