package io.multivector.rest;

import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.ToXContent;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.BytesRestResponse;
import org.opensearch.rest.RestRequest;
import org.opensearch.transport.client.node.NodeClient;

import java.util.List;
import java.util.function.Supplier;

import static org.opensearch.rest.RestRequest.Method.GET;

/** {@code GET _plugins/_multivector}: the plugin's version and what it registers in this node. */
public final class RestPluginInfoAction extends BaseRestHandler {

    public static final String BASE_PATH = "/_plugins/_multivector";

    private final Supplier<PluginInventory> inventory;

    public RestPluginInfoAction(Supplier<PluginInventory> inventory) {
        this.inventory = inventory;
    }

    @Override
    public String getName() {
        return "multivector_info_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(GET, BASE_PATH));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        return channel -> {
            XContentBuilder builder = channel.newBuilder();
            inventory.get().toXContent(builder, ToXContent.EMPTY_PARAMS);
            channel.sendResponse(new BytesRestResponse(RestStatus.OK, builder));
        };
    }
}
