package io.multivector.rest;

import io.multivector.rest.stats.MultiVectorStatsAction;
import org.opensearch.rest.action.RestToXContentListener;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.transport.client.node.NodeClient;

import java.util.List;

import static org.opensearch.rest.RestRequest.Method.GET;

/**
 * {@code GET _plugins/_multivector/stats} (or {@code _plugins/_multivector/<node ids>/stats}): per node and per model:
 * loaded, inferences, documents, mean and p99 latency of a batch, and the model's memory.
 */
public final class RestStatsAction extends BaseRestHandler {

    @Override
    public String getName() {
        return "multivector_stats_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(GET, RestPluginInfoAction.BASE_PATH + "/stats"),
            new Route(GET, RestPluginInfoAction.BASE_PATH + "/{nodes}/stats"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        String[] nodes = request.paramAsStringArray("nodes", new String[0]);
        return channel -> client.execute(MultiVectorStatsAction.INSTANCE, new MultiVectorStatsAction.Request(nodes),
            new RestToXContentListener<>(channel));
    }
}
