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
 * (all-MiniLM-L6-v2, pooled, 384 dims), {@code minilm-tokens} (the same weights, one vector per token; the two share
 * one ONNX session) and {@code bge-small} (BAAI bge-small-en-v1.5, another family: CLS pooling, a query instruction).
 */
public final class ModelRegistry implements AutoCloseable {

    public static final String MINILM = "minilm";
    public static final String MINILM_TOKENS = "minilm-tokens";
    public static final String BGE_SMALL = "bge-small";

    /**
     * BGE's instruction for retrieval queries (its model card, and langchain4j's notes for this artifact); documents get
     * none. CLS pooling then normalization is how BGE was trained and how langchain4j pools this same ONNX export
     * ({@code PoolingMode.CLS}). 512 tokens: the model's position embeddings, the length it was trained at.
     */
    public static final String BGE_QUERY_INSTRUCTION = "Represent this sentence for searching relevant passages: ";

    /**
     * How the built-ins encode. MiniLM was trained with no prefixes or markers. minilm-tokens does not pad queries with
     * [MASK]: MiniLM never learnt ColBERT's query augmentation, and on benchmarks/quality.sh the padded queries ranked far
     * worse (README, Retrieval quality).
     */
    public static final TextEncoding MINILM_ENCODING = TextEncoding.PLAIN;
    public static final TextEncoding MINILM_TOKENS_ENCODING = TextEncoding.PLAIN;
    public static final TextEncoding BGE_SMALL_ENCODING = new TextEncoding(false, 32, BGE_QUERY_INSTRUCTION, "", null, null);

    /** A model shipped in the plugin: its files under {@code resources} (models sharing them share one ONNX session). */
    private record BuiltIn(String id, ModelKind kind, String resources, String modelFile, String tokenizerFile, int maxTokens,
                           TextEncoding encoding, BertEncoder.Pooling pooling) {}

    /**
     * minilm: 128 tokens, the truncation of the model's own tokenizer.json, which its reference implementations apply too.
     * The files are taken from langchain4j's artifacts on Maven Central by analysis/pom.xml.
     */
    private static final List<BuiltIn> BUILT_IN_MODELS = List.of(
        new BuiltIn(MINILM, ModelKind.TEXT_DENSE, "minilm", "all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json", 128,
            MINILM_ENCODING, BertEncoder.Pooling.MEAN),
        new BuiltIn(MINILM_TOKENS, ModelKind.TEXT_TOKENS, "minilm", "all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json", 128,
            MINILM_TOKENS_ENCODING, BertEncoder.Pooling.MEAN),
        new BuiltIn(BGE_SMALL, ModelKind.TEXT_DENSE, "bge-small", "bge-small-en-v1.5-q.onnx", "bge-small-en-v1.5-q-tokenizer.json", 512,
            BGE_SMALL_ENCODING, BertEncoder.Pooling.CLS));
    private static final Map<String, BuiltIn> BUILT_IN_BY_ID = BUILT_IN_MODELS.stream()
        .collect(java.util.stream.Collectors.toUnmodifiableMap(BuiltIn::id, b -> b));
    public static final Set<String> BUILT_INS = BUILT_IN_BY_ID.keySet();
    private static final String RESOURCES = "/io/multivector/analysis/models/";

    private final int threads;
    private final ModelSource source;
    private final Map<String, Encoder> loaded = new ConcurrentHashMap<>();
    /** Registered models loaded in this node, with the definition they were loaded from. */
    private final Map<String, Loaded> registered = new ConcurrentHashMap<>();
    /** The built-ins' sessions, by their files' folder. */
    private final Map<String, BertSession> builtInSessions = new java.util.HashMap<>();

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
            BuiltIn builtIn = BUILT_IN_BY_ID.get(id);
            if (builtIn != null) {
                Encoder encoder = loaded.get(id);
                long memory = encoder == null ? 0 : encoder.modelBytes();
                infos.put(id, new ModelInfo(id, builtIn.kind(), 384, true, encoder != null, memory, encoder == null ? null : encoder.stats(),
                    effective(builtIn.kind(), builtIn.encoding(), builtIn.maxTokens(), builtIn.pooling(), true)));
            } else {
                ModelDefinition definition = definitions.get(id);
                Loaded current = registered.get(id);
                boolean live = current != null && current.definition().equals(definition);
                infos.put(id, new ModelInfo(id, definition.kind(), definition.dims(), false, live,
                    live ? current.encoder().modelBytes() : 0, live ? current.encoder().stats() : null,
                    definition.kind().isBert() ? effective(definition.kind(), definition.encoding(), definition.maxTokens(),
                        definition.pooling(), definition.normalize()) : null));
            }
        }
        return infos;
    }

    /**
     * A text model's effective settings: how texts become input ids ({@link TextEncoding#describe}), then how its outputs
     * become vectors: {@code pooling} (text_dense only) and {@code normalize}.
     */
    private static Map<String, Object> effective(ModelKind kind, TextEncoding encoding, int maxTokens, BertEncoder.Pooling pooling,
                                                 boolean normalize) {
        Map<String, Object> settings = encoding.describe(kind, maxTokens);
        if (kind == ModelKind.TEXT_DENSE) {
            settings.put("pooling", pooling.name().toLowerCase(java.util.Locale.ROOT));
        }
        settings.put("normalize", normalize);
        return settings;
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

    private Encoder loadBuiltIn(String id) {
        BuiltIn builtIn = BUILT_IN_BY_ID.get(id);
        return new BertEncoder(id, builtIn.kind(), session(builtIn), 384, builtIn.maxTokens(), builtIn.encoding(), builtIn.pooling(), true);
    }

    private synchronized BertSession session(BuiltIn builtIn) {
        BertSession session = builtInSessions.get(builtIn.resources());
        if (session == null) {
            try (InputStream model = resource(builtIn, builtIn.modelFile()); InputStream tokenizer = resource(builtIn, builtIn.tokenizerFile())) {
                session = new BertSession(model.readAllBytes(), new WordPieceTokenizer(tokenizer), threads);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            builtInSessions.put(builtIn.resources(), session);
        }
        return session;
    }

    private static InputStream resource(BuiltIn builtIn, String name) throws IOException {
        InputStream in = ModelRegistry.class.getResourceAsStream(RESOURCES + builtIn.resources() + "/" + name);
        if (in == null) {
            throw new IOException("the bundled model file [" + builtIn.resources() + "/" + name + "] is missing from the plugin");
        }
        return in;
    }

    @Override
    public synchronized void close() throws Exception {
        registered.values().forEach(ModelRegistry::close);
        registered.clear();
        for (BertSession session : builtInSessions.values()) {
            session.close();
        }
        builtInSessions.clear();
    }
}
