package io.multivector.rest.inference;

import io.multivector.analysis.ModelRegistry;
import io.multivector.analysis.encoder.BertEncoder;
import io.multivector.analysis.encoder.Encoder;
import org.opensearch.core.action.ActionListener;
import org.opensearch.threadpool.ThreadPool;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Runs the node's models off the network threads, on the plugin's own bounded pool, and remembers recent
 * query encodings: subqueries of one request that share a text and a model encode it once.
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

    public void encode(String model, List<String> texts, boolean asQuery, ActionListener<List<float[][]>> listener) {
        threadPool.executor(THREAD_POOL).execute(() -> {
            List<float[][]> vectors;
            try {
                vectors = registry.get(model).encode(texts, asQuery);
            } catch (Exception e) {
                listener.onFailure(e);
                return;
            }
            listener.onResponse(vectors);
        });
    }

    /**
     * The same texts through several models, in one task; models over one network (minilm and minilm-tokens)
     * share its run. Results in the order of {@code models}.
     */
    public void encodeTogether(List<String> models, List<String> texts, ActionListener<List<List<float[][]>>> listener) {
        threadPool.executor(THREAD_POOL).execute(() -> {
            List<List<float[][]>> vectors;
            try {
                List<Encoder> encoders = models.stream().map(registry::get).toList();
                if (encoders.stream().allMatch(e -> e instanceof BertEncoder)) {
                    vectors = BertEncoder.encodeTogether(encoders.stream().map(e -> (BertEncoder) e).toList(), texts, false);
                } else {
                    vectors = encoders.stream().map(e -> e.encode(texts, false)).toList();
                }
            } catch (Exception e) {
                listener.onFailure(e);
                return;
            }
            listener.onResponse(vectors);
        });
    }

    /** A query text's vectors; concurrent and repeated requests for the same text and model share one encoding. */
    public void encodeQuery(String model, String text, ActionListener<float[][]> listener) {
        QueryKey key = new QueryKey(model, text);
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
            encode(model, List.of(text), true, ActionListener.wrap(vectors -> mine.complete(vectors.get(0)), e -> {
                synchronized (queryCache) {
                    queryCache.remove(key);
                }
                mine.completeExceptionally(e);
            }));
        }
        future.whenComplete((vectors, e) -> {
            if (e != null) {
                listener.onFailure(e instanceof Exception ex ? ex : new RuntimeException(e));
            } else {
                listener.onResponse(vectors);
            }
        });
    }

    private record QueryKey(String model, String text) {}

    @Override
    public void close() throws Exception {
        registry.close();
    }
}
