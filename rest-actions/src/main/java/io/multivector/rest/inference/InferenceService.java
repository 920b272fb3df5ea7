package io.multivector.rest.inference;

import io.multivector.analysis.ModelRegistry;
import io.multivector.analysis.encoder.BertEncoder;
import io.multivector.analysis.encoder.Encoder;
import org.opensearch.core.action.ActionListener;
import org.opensearch.threadpool.ThreadPool;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Runs the node's models off the network threads, on the plugin's own bounded pool, and remembers recent
 * query encodings: subqueries of one request that share a text (or an image) and a model encode it once.
 */
public final class InferenceService implements AutoCloseable {

    public static final String THREAD_POOL = "multivector_inference";
    private static final int QUERY_CACHE_SIZE = 256;

    private final ModelRegistry registry;
    private final ThreadPool threadPool;
    private final Map<QueryKey, CompletableFuture<float[][]>> queryCache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<QueryKey, CompletableFuture<float[][]>> eldest) {
            return size() > QUERY_CACHE_SIZE;
        }
    };

    public InferenceService(ModelRegistry registry, ThreadPool threadPool) {
        this.registry = registry;
        this.threadPool = threadPool;
    }

    public ModelRegistry registry() {
        return registry;
    }

    /** The encoder, or an IllegalArgumentException naming the unknown model. */
    public Encoder encoder(String model) {
        return registry.get(model);
    }

    /** What a model is (kind, dims) without loading it, or null for an unknown model: mappings are checked with it. */
    public ModelRegistry.ModelInfo describe(String model) {
        return registry.infos().get(model);
    }

    public void encode(String model, List<String> texts, boolean asQuery, ActionListener<List<float[][]>> listener) {
        run(() -> registry.get(model).encode(texts, asQuery), listener);
    }

    /** Images (JPEG or PNG bytes) through an {@code image} model, one vector each. */
    public void encodeImages(String model, List<byte[]> images, ActionListener<List<float[][]>> listener) {
        run(() -> registry.get(model).encodeImages(images), listener);
    }

    /**
     * The same inputs through several models, in one task; models over one network (minilm and minilm-tokens)
     * share its run. Inputs are texts, or base64 images for image models. Results in the order of {@code models}.
     */
    public void encodeTogether(List<String> models, List<String> inputs, ActionListener<List<List<float[][]>>> listener) {
        run(() -> {
            List<Encoder> encoders = models.stream().map(registry::get).toList();
            if (encoders.stream().allMatch(e -> e instanceof BertEncoder)) {
                return BertEncoder.encodeTogether(encoders.stream().map(e -> (BertEncoder) e).toList(), inputs, false);
            }
            return encoders.stream().map(e -> e.kind().takesImages() ? e.encodeImages(decodeImages(inputs)) : e.encode(inputs, false)).toList();
        }, listener);
    }

    /** Runs an encoding on the inference pool; its failure goes to the listener. */
    private <T> void run(Supplier<T> encoding, ActionListener<T> listener) {
        threadPool.executor(THREAD_POOL).execute(() -> {
            T result;
            try {
                result = encoding.get();
            } catch (Exception e) {
                listener.onFailure(e);
                return;
            }
            listener.onResponse(result);
        });
    }

    /** Base64 images as bytes; a string that is not base64 is an IllegalArgumentException. */
    public static List<byte[]> decodeImages(List<String> base64) {
        List<byte[]> images = new ArrayList<>(base64.size());
        for (String image : base64) {
            if (image == null || image.isBlank()) {
                throw new IllegalArgumentException("an image is empty: give a base64 JPEG or PNG");
            }
            try {
                images.add(Base64.getDecoder().decode(TextInputs.stripDataUrl(image)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("an image is not valid base64: " + e.getMessage(), e);
            }
        }
        return images;
    }

    /** A query text's vectors; concurrent and repeated requests for the same text and model share one encoding. */
    public void encodeQuery(String model, String text, ActionListener<float[][]> listener) {
        encodeQuery(model, text, false, listener);
    }

    /** A query image's vector (base64 JPEG or PNG), cached like query texts. */
    public void encodeQueryImage(String model, String base64Image, ActionListener<float[][]> listener) {
        encodeQuery(model, base64Image, true, listener);
    }

    /** Keyed by the loaded encoder, not its id: a model deleted and registered again with other files is a new key. */
    private void encodeQuery(String model, String input, boolean image, ActionListener<float[][]> listener) {
        Encoder encoder;
        try {
            encoder = registry.get(model);
        } catch (Exception e) {
            listener.onFailure(e);
            return;
        }
        QueryKey key = new QueryKey(encoder, input, image);
        CompletableFuture<float[][]> future;
        boolean owner = false;
        synchronized (queryCache) {
            future = queryCache.get(key);
            if (future == null) {
                future = new CompletableFuture<>();
                queryCache.put(key, future);
                owner = true;
            }
        }
        if (owner) {
            CompletableFuture<float[][]> mine = future;
            ActionListener<List<float[][]>> done = ActionListener.wrap(vectors -> mine.complete(vectors.get(0)), e -> {
                synchronized (queryCache) {
                    queryCache.remove(key);
                }
                mine.completeExceptionally(e);
            });
            run(() -> image ? encoder.encodeImages(decodeImages(List.of(input))) : encoder.encode(List.of(input), true), done);
        }
        future.whenComplete((vectors, e) -> {
            if (e != null) {
                listener.onFailure(e instanceof Exception ex ? ex : new RuntimeException(e));
            } else {
                listener.onResponse(vectors);
            }
        });
    }

    private record QueryKey(Encoder encoder, String input, boolean image) {}

    @Override
    public void close() throws Exception {
        registry.close();
    }
}
