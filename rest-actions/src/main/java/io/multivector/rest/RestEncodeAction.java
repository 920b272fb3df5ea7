package io.multivector.rest;

import io.multivector.analysis.encoder.Encoder;
import io.multivector.rest.inference.InferenceService;
import io.multivector.rest.inference.TextInputs;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.BytesRestResponse;
import org.opensearch.rest.RestRequest;
import org.opensearch.transport.client.node.NodeClient;

import org.opensearch.common.settings.ClusterSettings;
import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Settings;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.opensearch.rest.RestRequest.Method.POST;

/**
 * {@code POST _plugins/_multivector/_encode {"model": "minilm", "texts": [...], "as_query": false}} (or
 * {@code "images": [base64 JPEG or PNG, ...]} for image models): the vectors a model gives, for clients that embed
 * themselves and for debugging. Dense, image and clip_text models give one vector per input, token models one matrix
 * per text.
 */
public final class RestEncodeAction extends BaseRestHandler {

    /** Texts or images one request may encode: every input's vectors sit in the heap until the response is sent. */
    public static final Setting<Integer> MAX_INPUTS = Setting.intSetting("plugins.multivector.encode.max_inputs", 256, 1, 10_000,
        Setting.Property.NodeScope, Setting.Property.Dynamic);

    private final InferenceService inference;
    private volatile int maxInputs;

    public RestEncodeAction(InferenceService inference, Settings settings, ClusterSettings clusterSettings) {
        this.inference = inference;
        this.maxInputs = MAX_INPUTS.get(settings);
        clusterSettings.addSettingsUpdateConsumer(MAX_INPUTS, value -> maxInputs = value);
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
        for (String key : body.keySet()) {
            if (List.of("model", "texts", "images", "as_query").contains(key) == false) {
                throw new IllegalArgumentException("unknown parameter [" + key + "]; accepted: [model, texts, images, as_query]");
            }
        }
        if (body.containsKey("texts") == body.containsKey("images")) {
            throw new IllegalArgumentException("give either [texts] or [images] (base64 JPEG or PNG)");
        }
        boolean images = body.containsKey("images");
        List<String> inputs = strings(body, images ? "images" : "texts");
        if (images == false) {
            for (int i = 0; i < inputs.size(); i++) {
                if (TextInputs.hasContent(inputs.get(i)) == false) {
                    throw new IllegalArgumentException(TextInputs.nothingToEncode("[texts] item [" + i + "]"));
                }
            }
        }
        boolean asQuery = Boolean.TRUE.equals(body.get("as_query"));
        Encoder encoder = inference.encoder(model);
        if (encoder.kind().takesImages() != images) {
            throw new IllegalArgumentException("model [" + model + "] (" + encoder.kind().jsonName() + ") encodes "
                + (encoder.kind().takesImages() ? "[images]" : "[texts]") + ", not [" + (images ? "images" : "texts") + "]");
        }
        List<byte[]> imageBytes = images ? InferenceService.decodeImages(inputs) : null;
        return channel -> {
            ActionListener<List<float[][]>> respond = ActionListener.wrap(vectors -> {
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
            }, e -> sendFailure(channel, e));
            if (images) {
                inference.encodeImages(model, imageBytes, respond);
            } else {
                inference.encode(model, inputs, asQuery, respond);
            }
        };
    }

    /** A non-empty array of at most {@link #MAX_INPUTS} strings. */
    private List<String> strings(Map<String, Object> body, String field) {
        if (!(body.get(field) instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException("[" + field + "] must be a non-empty array of strings");
        }
        int limit = maxInputs;
        if (list.size() > limit) {
            throw new IllegalArgumentException("[" + field + "] holds [" + list.size() + "] items, at most " + limit + " per request (["
                + MAX_INPUTS.getKey() + "])");
        }
        List<String> strings = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof String s)) {
                throw new IllegalArgumentException("[" + field + "] must hold strings, found [" + item + "]");
            }
            strings.add(s);
        }
        return strings;
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
