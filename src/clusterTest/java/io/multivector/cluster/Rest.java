package io.multivector.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Plain HTTP + JSON against one node's port: what a client sees, no test framework in between. */
final class Rest {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A response other than 2xx. */
    static final class Status extends IOException {
        final int status;

        Status(int status, String body) {
            super("HTTP " + status + ": " + (body.length() > 2000 ? body.substring(0, 2000) + "..." : body));
            this.status = status;
        }
    }

    private Rest() {}

    /** body: null, a String (sent as is, e.g. ndjson) or anything Jackson writes as JSON. */
    static Map<String, Object> call(int port, String method, String path, Object body) throws IOException {
        return call(port, method, path, body, Duration.ofSeconds(120));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> call(int port, String method, String path, Object body, Duration timeout) throws IOException {
        String text = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(timeout)
            .method(method, text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text))
            .header("Content-Type", body instanceof String ? "application/x-ndjson" : "application/json")
            .header("Accept", "application/json");
        HttpResponse<String> response;
        try {
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new Status(response.statusCode(), response.body());
        }
        return response.body().isEmpty() ? Map.of() : JSON.readValue(response.body(), Map.class);
    }

    /** The value at a dotted path ("hits.hits"), list indices as numbers. */
    @SuppressWarnings("unchecked")
    static <T> T at(Object root, String path) {
        Object value = root;
        for (String key : path.split("\\.")) {
            if (value instanceof Map<?, ?> map) {
                value = map.get(key);
            } else if (value instanceof List<?> list) {
                value = list.get(Integer.parseInt(key));
            } else {
                throw new IllegalArgumentException("no [" + path + "] in " + root);
            }
        }
        return (T) value;
    }
}
