package io.multivector.analysis;

import io.multivector.analysis.encoder.BertEncoder;
import io.multivector.analysis.encoder.BertSession;
import io.multivector.analysis.encoder.ClipImageEncoder;
import io.multivector.analysis.encoder.ClipTextEncoder;
import io.multivector.analysis.encoder.Encoder;
import io.multivector.analysis.encoder.ModelKind;
import io.multivector.analysis.encoder.Projection;
import io.multivector.analysis.encoder.TextEncoding;
import io.multivector.analysis.tokenizer.ClipBpeTokenizer;
import io.multivector.analysis.tokenizer.TextTokenizer;
import io.multivector.analysis.tokenizer.TokenizerJson;
import io.multivector.analysis.tokenizer.WordPieceTokenizer;

import javax.imageio.ImageIO;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
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
    private final ModelSource source;
    private final Map<String, Encoder> loaded = new ConcurrentHashMap<>();
    /** Registered models loaded in this node, with the definition they were loaded from. */
    private final Map<String, Loaded> registered = new ConcurrentHashMap<>();
    private volatile BertSession minilmSession;

    /** A registered model as loaded: what to close when it goes (its session, or the encoder owning one) and its encoder. */
    private record Loaded(ModelDefinition definition, AutoCloseable resources, Encoder encoder) {}

    public ModelRegistry(int threads) {
        this(threads, ModelSource.NONE);
    }

    public ModelRegistry(int threads, ModelSource source) {
        this.threads = threads;
        this.source = source;
    }

    /** The encoder of a model, loading it on first use. */
    public Encoder get(String id) {
        if (BUILT_INS.contains(id)) {
            return loaded.computeIfAbsent(id, this::loadBuiltIn);
        }
        ModelDefinition definition = source.definitions().get(id);
        if (definition == null) {
            throw new IllegalArgumentException("unknown model [" + id + "]; available: " + ids());
        }
        Loaded current = registered.compute(id, (key, old) -> {
            if (old != null && old.definition().equals(definition)) {
                return old;
            }
            close(old);
            return load(definition);
        });
        return current.encoder();
    }

    /** Loads a definition's files and checks them, then lets them go: a registration fails early, with the reason. */
    public void verify(ModelDefinition definition) {
        if (BUILT_INS.contains(definition.id())) {
            throw new IllegalArgumentException("model [" + definition.id() + "] is built in and cannot be replaced");
        }
        Loaded loaded = load(definition);
        try {
            if (definition.kind().takesImages()) {
                loaded.encoder().encodeImages(List.of(blankImage()));
            } else {
                loaded.encoder().encode(List.of("a dimension check"), false);
            }
        } finally {
            close(loaded);
        }
    }

    /** Closes the sessions of models that were deleted or redefined since they were loaded. */
    public void unloadStale() {
        Map<String, ModelDefinition> definitions = source.definitions();
        registered.entrySet().removeIf(entry -> {
            boolean stale = entry.getValue().definition().equals(definitions.get(entry.getKey())) == false;
            if (stale) {
                close(entry.getValue());
            }
            return stale;
        });
    }

    /** The registered models' definitions, built-ins excluded. */
    public Map<String, ModelDefinition> definitions() {
        return source.definitions();
    }

    public List<String> ids() {
        List<String> ids = new java.util.ArrayList<>(BUILT_INS);
        ids.addAll(source.definitions().keySet());
        return ids.stream().sorted().toList();
    }

    /** What each model is, whether it is loaded, and its counters in this node. */
    public Map<String, ModelInfo> infos() {
        Map<String, ModelInfo> infos = new LinkedHashMap<>();
        Map<String, ModelDefinition> definitions = source.definitions();
        for (String id : ids()) {
            if (BUILT_INS.contains(id)) {
                Encoder encoder = loaded.get(id);
                ModelKind kind = id.equals(MINILM) ? ModelKind.TEXT_DENSE : ModelKind.TEXT_TOKENS;
                long memory = encoder == null ? 0 : encoder.modelBytes();
                TextEncoding encoding = id.equals(MINILM) ? MINILM_ENCODING : MINILM_TOKENS_ENCODING;
                infos.put(id, new ModelInfo(id, kind, 384, true, encoder != null, memory, encoder == null ? null : encoder.stats(),
                    encoding.describe(kind, 128)));
            } else {
                ModelDefinition definition = definitions.get(id);
                Loaded current = registered.get(id);
                boolean live = current != null && current.definition().equals(definition);
                infos.put(id, new ModelInfo(id, definition.kind(), definition.dims(), false, live,
                    live ? current.encoder().modelBytes() : 0, live ? current.encoder().stats() : null,
                    definition.kind().isBert() ? definition.encoding().describe(definition.kind(), definition.maxTokens()) : null));
            }
        }
        return infos;
    }

    /** A small black PNG, to check an image model's output once at registration; written in memory, no cache file. */
    private static byte[] blankImage() {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(png)) {
            ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return png.toByteArray();
    }

    private Loaded load(ModelDefinition definition) {
        try {
            byte[] model = source.read(definition.modelFile());
            String id = definition.id();
            return switch (definition.kind()) {
                case IMAGE -> {
                    ClipImageEncoder encoder = new ClipImageEncoder(id, model, definition.dims(), definition.normalize(), threads);
                    yield new Loaded(definition, encoder, encoder);
                }
                case CLIP_TEXT -> {
                    ClipBpeTokenizer tokenizer = new ClipBpeTokenizer(new ByteArrayInputStream(source.read(definition.tokenizerFile())),
                        definition.maxTokens());
                    ClipTextEncoder encoder = new ClipTextEncoder(id, model, tokenizer, definition.dims(), definition.normalize(), threads);
                    yield new Loaded(definition, encoder, encoder);
                }
                case TEXT_DENSE, TEXT_TOKENS -> {
                    Projection projection = definition.projectionFile() == null ? null
                        : Projection.read(source.read(definition.projectionFile()), definition.dims());
                    TextTokenizer tokenizer = TokenizerJson.load(source.read(definition.tokenizerFile()));
                    BertSession session;
                    try {
                        session = new BertSession(model, tokenizer, threads); // owns the tokenizer from here
                    } catch (RuntimeException e) {
                        tokenizer.close();
                        throw e;
                    }
                    try {
                        yield new Loaded(definition, session, new BertEncoder(id, definition.kind(), session, definition.dims(),
                            definition.maxTokens(), definition.encoding(), definition.pooling(), definition.normalize(), projection));
                    } catch (RuntimeException e) {
                        close(new Loaded(definition, session, null));
                        throw e;
                    }
                }
            };
        } catch (IOException e) {
            throw new IllegalArgumentException("model [" + definition.id() + "]: cannot read its files: " + e.getMessage(), e);
        }
    }

    private static void close(Loaded loaded) {
        if (loaded != null) {
            try {
                loaded.resources().close();
            } catch (Exception e) {
                // closing a session frees native memory; a failure leaves nothing to recover
            }
        }
    }

    /** {@code encoding}: for text_dense and text_tokens models, how texts become input ids ({@link TextEncoding#describe}). */
    public record ModelInfo(String id, ModelKind kind, int dims, boolean builtIn, boolean loaded, long memoryBytes,
                            io.multivector.analysis.encoder.EncoderStats stats, Map<String, Object> encoding) {}

    /**
     * How the built-ins encode. MiniLM was trained with no prefixes or markers. minilm-tokens does not pad queries with
     * [MASK]: MiniLM never learnt ColBERT's query augmentation, and on benchmarks/quality.sh the padded queries ranked far
     * worse (README, Retrieval quality).
     */
    public static final TextEncoding MINILM_ENCODING = TextEncoding.PLAIN;
    public static final TextEncoding MINILM_TOKENS_ENCODING = TextEncoding.PLAIN;

    /** 128 tokens: the truncation of the model's own tokenizer.json, which its reference implementations apply too. */
    private Encoder loadBuiltIn(String id) {
        BertSession session = minilm();
        return id.equals(MINILM)
            ? new BertEncoder(MINILM, ModelKind.TEXT_DENSE, session, 384, 128, MINILM_ENCODING, BertEncoder.Pooling.MEAN, true)
            : new BertEncoder(MINILM_TOKENS, ModelKind.TEXT_TOKENS, session, 384, 128, MINILM_TOKENS_ENCODING, BertEncoder.Pooling.MEAN, true);
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
        registered.values().forEach(ModelRegistry::close);
        registered.clear();
        if (minilmSession != null) {
            minilmSession.close();
        }
    }
}
