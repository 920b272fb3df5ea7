package io.multivector.analysis;

import io.multivector.analysis.encoder.BertEncoder;
import io.multivector.analysis.encoder.BertSession;
import io.multivector.analysis.encoder.Encoder;
import io.multivector.analysis.encoder.ModelKind;
import io.multivector.analysis.tokenizer.WordPieceTokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models a node can run, loaded on first use. Built in, and working offline with no setup: {@code minilm}
 * (all-MiniLM-L6-v2, pooled, 384 dims) and {@code minilm-tokens} (the same weights, one vector per token);
 * the two share one ONNX session.
 */
public final class ModelRegistry implements AutoCloseable {

    public static final String MINILM = "minilm";
    public static final String MINILM_TOKENS = "minilm-tokens";
    public static final Set<String> BUILT_INS = Set.of(MINILM, MINILM_TOKENS);
    private static final String MINILM_RESOURCES = "/io/multivector/analysis/models/minilm/";

    private final int threads;
    private final Map<String, Encoder> loaded = new ConcurrentHashMap<>();
    private volatile BertSession minilmSession;

    public ModelRegistry(int threads) {
        this.threads = threads;
    }

    /** The encoder of a model, loading it on first use. */
    public Encoder get(String id) {
        if (BUILT_INS.contains(id) == false) {
            throw new IllegalArgumentException("unknown model [" + id + "]; available: " + BUILT_INS.stream().sorted().toList());
        }
        return loaded.computeIfAbsent(id, this::loadBuiltIn);
    }

    public List<String> ids() {
        return BUILT_INS.stream().sorted().toList();
    }

    /** What each model is, whether it is loaded, and its counters in this node. */
    public Map<String, ModelInfo> infos() {
        Map<String, ModelInfo> infos = new LinkedHashMap<>();
        for (String id : ids()) {
            Encoder encoder = loaded.get(id);
            ModelKind kind = id.equals(MINILM) ? ModelKind.TEXT_DENSE : ModelKind.TEXT_TOKENS;
            long memory = encoder instanceof BertEncoder bert ? bert.modelBytes() : 0;
            infos.put(id, new ModelInfo(id, kind, 384, true, encoder != null, memory, encoder == null ? null : encoder.stats()));
        }
        return infos;
    }

    public record ModelInfo(String id, ModelKind kind, int dims, boolean builtIn, boolean loaded, long memoryBytes,
                            io.multivector.analysis.encoder.EncoderStats stats) {}

    /** 128 tokens: the truncation of the model's own tokenizer.json, which its reference implementations apply too. */
    private Encoder loadBuiltIn(String id) {
        BertSession session = minilm();
        return id.equals(MINILM)
            ? new BertEncoder(MINILM, ModelKind.TEXT_DENSE, session, 384, 128, 32, BertEncoder.Pooling.MEAN, true)
            : new BertEncoder(MINILM_TOKENS, ModelKind.TEXT_TOKENS, session, 384, 128, 32, BertEncoder.Pooling.MEAN, true);
    }

    private synchronized BertSession minilm() {
        if (minilmSession == null) {
            try (InputStream model = resource("all-minilm-l6-v2-q.onnx"); InputStream tokenizer = resource("all-minilm-l6-v2-q-tokenizer.json")) {
                minilmSession = new BertSession(model.readAllBytes(), new WordPieceTokenizer(tokenizer), threads);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return minilmSession;
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = ModelRegistry.class.getResourceAsStream(MINILM_RESOURCES + name);
        if (in == null) {
            throw new IOException("the bundled model file [" + name + "] is missing from the plugin");
        }
        return in;
    }

    @Override
    public synchronized void close() throws Exception {
        if (minilmSession != null) {
            minilmSession.close();
        }
    }
}
