package io.multivector.rest;

import io.multivector.analysis.encoder.Encoder;
import io.multivector.rest.inference.InferenceService;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.BytesRestResponse;
import org.opensearch.rest.RestRequest;
import org.opensearch.transport.client.node.NodeClient;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.opensearch.rest.RestRequest.Method.POST;

/**
 * {@code POST _plugins/_multivector/_encode {"model": "minilm", "texts": [...], "as_query": false}}: the vectors a
 * model gives, for clients that embed themselves and for debugging. Dense models give one vector per text, token
 * models one matrix per text.
 */
public final class RestEncodeAction extends BaseRestHandler {

    static final int MAX_TEXTS = 256;

    private final InferenceService inference;

    public RestEncodeAction(InferenceService inference) {
        this.inference = inference;
    }

    @Override
    public String getName() {
        return "multivector_encode_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(POST, RestPluginInfoAction.BASE_PATH + "/_encode"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        Map<String, Object> body;
        try (XContentParser parser = request.contentParser()) {
            body = parser.map();
        }
        String model = stringField(body, "model");
        Object textsValue = body.get("texts");
        if (!(textsValue instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException("[texts] must be a non-empty array of strings");
        }
        if (list.size() > MAX_TEXTS) {
            throw new IllegalArgumentException("[texts] holds [" + list.size() + "] texts, at most " + MAX_TEXTS + " per request");
        }
        List<String> texts = new ArrayList<>();
        for (Object text : list) {
            if (!(text instanceof String s)) {
                throw new IllegalArgumentException("[texts] must hold strings, found [" + text + "]");
            }
            texts.add(s);
        }
        boolean asQuery = Boolean.TRUE.equals(body.get("as_query"));
        for (String key : body.keySet()) {
            if (List.of("model", "texts", "as_query").contains(key) == false) {
                throw new IllegalArgumentException("unknown parameter [" + key + "]; accepted: [model, texts, as_query]");
            }
        }
        Encoder encoder = inference.encoder(model);
        return channel -> inference.encode(model, texts, asQuery, ActionListener.wrap(vectors -> {
            XContentBuilder builder = channel.newBuilder();
            builder.startObject().field("model", model).field("kind", encoder.kind().jsonName()).field("dims", encoder.dims());
            builder.startArray("vectors");
            for (float[][] matrix : vectors) {
                if (encoder.kind().isMultiVector()) {
                    builder.value(matrix);
                } else {
                    builder.value(matrix[0]);
                }
            }
            builder.endArray().endObject();
            channel.sendResponse(new BytesRestResponse(RestStatus.OK, builder));
        }, e -> sendFailure(channel, e)));
    }

    static void sendFailure(org.opensearch.rest.RestChannel channel, Exception e) {
        try {
            channel.sendResponse(new BytesRestResponse(channel, e));
        } catch (IOException inner) {
            e.addSuppressed(inner);
            channel.sendResponse(new BytesRestResponse(RestStatus.INTERNAL_SERVER_ERROR, e.toString()));
        }
    }

    static String stringField(Map<String, Object> body, String name) {
        Object value = body.get(name);
        if (value instanceof String s && s.isEmpty() == false) {
            return s;
        }
        throw new IllegalArgumentException("[" + name + "] is required and must be a string");
    }
}
