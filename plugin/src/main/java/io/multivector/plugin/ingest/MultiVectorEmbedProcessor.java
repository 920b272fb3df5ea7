package io.multivector.plugin.ingest;

import io.multivector.analysis.encoder.Encoder;
import io.multivector.analysis.pooling.TokenPooling;
import io.multivector.plugin.mapper.MultiVectorFieldMapper;
import io.multivector.plugin.query.FieldModels;
import io.multivector.rest.inference.InferenceService;
import io.multivector.rest.inference.TextInputs;
import org.opensearch.action.get.MultiGetItemResponse;
import org.opensearch.action.get.MultiGetRequest;
import org.opensearch.core.action.ActionListener;
import org.opensearch.ingest.AbstractProcessor;
import org.opensearch.ingest.ConfigurationUtils;
import org.opensearch.ingest.IngestDocument;
import org.opensearch.ingest.IngestDocumentWrapper;
import org.opensearch.ingest.Processor;
import org.opensearch.transport.client.Client;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * {@code multivector_embed}: one source field → several model vectors, e.g.
 * {@code {"field_map": {"description": {"desc_minilm": "minilm", "desc_tokens": "minilm-tokens"}}, "skip_existing": true}}.
 * A bulk request is encoded in batches, one per model. Source fields hold texts, or base64 JPEG/PNG images for
 * {@code image} models, e.g. {@code {"photo": {"photo_clip": "clip-vision"}}}. Each model must fit its target field
 * (dense, image and clip_text models → dense_vector, token model → multi_vector, equal dims): a document that breaks
 * this, or whose input cannot be encoded (a broken image), fails alone with a clear error; the others are indexed.
 * A token target may pool its matrix: {@code {"desc_tokens": {"model": "minilm-tokens", "pool_factor": 2}}} keeps
 * {@code ceil(n / 2)} vectors ({@link TokenPooling}); the pooled matrix is the document's value, so whatever re-reads the
 * document later (update, reindex, recovery) gets the same matrix and never pools it again. Each model runs once per
 * distinct input of a request, however many target fields it fills.
 */
public final class MultiVectorEmbedProcessor extends AbstractProcessor {

    public static final String TYPE = "multivector_embed";
    /** Default of {@code max_chars}: longer texts fail their document instead of being silently cut. */
    static final int MAX_CHARS = 100_000;
    /** Base64 of a 15 MB image. */
    static final int MAX_IMAGE_CHARS = 20_000_000;

    private final Map<String, Map<String, TargetSpec>> fieldMap;
    private final boolean skipExisting;
    private final int maxChars;
    private final InferenceService inference;
    private final FieldModels fieldModels;
    private final Client client;

    /** What fills one target field: a model, and for a token model the pool factor (1: every token vector). */
    record TargetSpec(String model, int poolFactor) {}

    MultiVectorEmbedProcessor(String tag, String description, Map<String, Map<String, TargetSpec>> fieldMap, boolean skipExisting, int maxChars,
                              InferenceService inference, FieldModels fieldModels, Client client) {
        super(tag, description);
        this.fieldMap = fieldMap;
        this.skipExisting = skipExisting;
        this.maxChars = maxChars;
        this.inference = inference;
        this.fieldModels = fieldModels;
        this.client = client;
    }

    @Override
    public String getType() {
        return TYPE;
    }

    @Override
    public IngestDocument execute(IngestDocument document) {
        throw new UnsupportedOperationException("runs asynchronously");
    }

    @Override
    public void execute(IngestDocument document, BiConsumer<IngestDocument, Exception> handler) {
        batchExecute(List.of(new IngestDocumentWrapper(0, 0, document, null)),
            results -> handler.accept(results.get(0).getException() == null ? results.get(0).getIngestDocument() : null,
                results.get(0).getException()));
    }

    @Override
    public void batchExecute(List<IngestDocumentWrapper> documents, Consumer<List<IngestDocumentWrapper>> handler) {
        List<IngestDocumentWrapper> results = new ArrayList<>(documents);
        if (skipExisting == false) {
            encode(results, new HashMap<>(), handler);
            return;
        }
        MultiGetRequest request = new MultiGetRequest();
        List<Integer> requested = new ArrayList<>();
        for (int i = 0; i < documents.size(); i++) {
            IngestDocument doc = documents.get(i).getIngestDocument();
            String id = doc.getFieldValue(IngestDocument.Metadata.ID.getFieldName(), String.class, true);
            String index = simulatedIndex(doc);
            if (id != null && index != null) { // a document without an id is new, one without an index is simulated: nothing to reuse
                request.add(index, id);
                requested.add(i);
            }
        }
        if (requested.isEmpty()) {
            encode(results, new HashMap<>(), handler);
            return;
        }
        client.multiGet(request, ActionListener.wrap(response -> {
            Map<Integer, Map<String, Object>> previous = new HashMap<>();
            MultiGetItemResponse[] items = response.getResponses();
            for (int i = 0; i < items.length; i++) {
                if (items[i].isFailed() == false && items[i].getResponse().isExists()) {
                    previous.put(requested.get(i), items[i].getResponse().getSourceAsMap());
                }
            }
            encode(results, previous, handler);
        }, e -> encode(results, new HashMap<>(), handler)));
    }

    /** One batch per model over every document of the request, then the vectors go in place. */
    private void encode(List<IngestDocumentWrapper> results, Map<Integer, Map<String, Object>> previous,
                        Consumer<List<IngestDocumentWrapper>> handler) {
        Map<String, List<Target>> byModel = new LinkedHashMap<>();
        for (int i = 0; i < results.size(); i++) {
            IngestDocumentWrapper wrapper = results.get(i);
            if (wrapper.getException() != null) {
                continue;
            }
            try {
                plan(i, wrapper.getIngestDocument(), previous.get(i), byModel);
            } catch (Exception e) {
                results.set(i, new IngestDocumentWrapper(wrapper.getSlot(), wrapper.getChildSlot(), wrapper.getIngestDocument(), e));
            }
        }
        if (byModel.isEmpty()) {
            handler.accept(results);
            return;
        }
        // each model encodes each distinct input once (one text filling several fields of a model is one run); models asked
        // for the same inputs (one source field, several models) are encoded in one task, and share the network run when they can
        Map<List<String>, List<String>> modelsByInputs = new LinkedHashMap<>();
        byModel.forEach((model, targets) -> modelsByInputs.computeIfAbsent(targets.stream().map(Target::input).distinct().toList(),
            t -> new ArrayList<>()).add(model));
        AtomicInteger pending = new AtomicInteger(modelsByInputs.size());
        modelsByInputs.forEach((inputs, models) -> encodeGroup(models, inputs, byModel, results, () -> {
            if (pending.decrementAndGet() == 0) {
                handler.accept(results);
            }
        }, pending));
    }

    /**
     * Encodes the inputs with the models, and puts the vectors in place in every target of those models that asked for
     * one of these inputs (pooled as the target says). A batch that fails is tried again one input at a time, so that only
     * the documents that cannot be encoded (a broken image, say) fail, each with its own error.
     */
    private void encodeGroup(List<String> models, List<String> inputs, Map<String, List<Target>> byModel,
                             List<IngestDocumentWrapper> results, Runnable done, AtomicInteger pending) {
        inference.encodeTogether(models, inputs, ActionListener.wrap(perModel -> {
            Map<String, Integer> position = new HashMap<>();
            for (int p = 0; p < inputs.size(); p++) {
                position.put(inputs.get(p), p);
            }
            List<Runnable> writes = new ArrayList<>();
            for (int m = 0; m < models.size(); m++) {
                for (Target target : byModel.get(models.get(m))) {
                    Integer p = position.get(target.input());
                    if (p != null) {
                        float[][] matrix = perModel.get(m).get(p);
                        // pooled here, outside the lock: the field normalizes the means itself if its similarity is cosine
                        Object value = target.multiVector() ? base64(TokenPooling.pool(matrix, target.poolFactor(), false)) : toList(matrix[0]);
                        writes.add(() -> {
                            IngestDocumentWrapper wrapper = results.get(target.doc());
                            if (wrapper.getException() == null) {
                                wrapper.getIngestDocument().setFieldValue(target.field(), value);
                            }
                        });
                    }
                }
            }
            synchronized (results) {
                writes.forEach(Runnable::run);
            }
            done.run();
        }, e -> {
            if (inputs.size() > 1) {
                pending.addAndGet(inputs.size() - 1);
                for (String input : inputs) {
                    encodeGroup(models, List.of(input), byModel, results, done, pending);
                }
                return;
            }
            synchronized (results) {
                for (String model : models) {
                    for (Target target : byModel.get(model)) {
                        if (target.input().equals(inputs.get(0)) == false) {
                            continue;
                        }
                        IngestDocumentWrapper w = results.get(target.doc());
                        Exception failure = e instanceof IllegalArgumentException ? new IllegalArgumentException("[" + TYPE + "] field ["
                            + target.source() + "] cannot be encoded with model [" + model + "]: " + e.getMessage(), e) : e;
                        results.set(target.doc(), new IngestDocumentWrapper(w.getSlot(), w.getChildSlot(), w.getIngestDocument(), failure));
                    }
                }
            }
            done.run();
        }));
    }

    /**
     * The document's index, or null in {@code _simulate} without {@code _index}: it then holds the placeholder
     * {@code "_index"} (no index name starts with '_'), and the target fields cannot be checked against a mapping.
     */
    private static String simulatedIndex(IngestDocument doc) {
        String index = doc.getFieldValue(IngestDocument.Metadata.INDEX.getFieldName(), String.class, true);
        return index == null || index.startsWith("_") ? null : index;
    }

    /** One vector to compute: the document, its source field, the target field, the input (a text, or a base64 image). */
    private record Target(int doc, String source, String field, String input, boolean multiVector, int poolFactor) {}

    private void plan(int docIndex, IngestDocument doc, Map<String, Object> previousSource, Map<String, List<Target>> byModel) {
        String index = simulatedIndex(doc);
        for (Map.Entry<String, Map<String, TargetSpec>> source : fieldMap.entrySet()) {
            if (doc.hasField(source.getKey()) == false) {
                continue; // no source text: the document is indexed without these vectors
            }
            Object value = doc.getFieldValue(source.getKey(), Object.class);
            if (!(value instanceof String input)) {
                throw new IllegalArgumentException("[" + TYPE + "] field [" + source.getKey() + "] must be a string (a text, or a base64 image), got ["
                    + (value == null ? "null" : value.getClass().getSimpleName()) + "]");
            }
            if (input.isBlank()) {
                continue; // an empty text is no text: like a missing field, rather than a vector of nothing that ranks arbitrarily
            }
            boolean unchanged = previousSource != null && Objects.equals(previousSource.get(source.getKey()), input);
            for (Map.Entry<String, TargetSpec> target : source.getValue().entrySet()) {
                String model = target.getValue().model();
                if (inference.encoder(model).kind().takesImages() == false && TextInputs.hasContent(input) == false) {
                    continue; // punctuation or control characters only: nothing to encode, as above
                }
                boolean multiVector = checkFits(index, target.getKey(), model);
                int limit = inference.encoder(model).kind().takesImages() ? MAX_IMAGE_CHARS : maxChars;
                if (input.length() > limit) {
                    throw new IllegalArgumentException("[" + TYPE + "] field [" + source.getKey() + "] has " + input.length()
                        + " characters, more than the " + limit + " the processor encodes with model [" + model + "]");
                }
                if (unchanged && previousSource.get(target.getKey()) != null) {
                    doc.setFieldValue(target.getKey(), previousSource.get(target.getKey())); // skip_existing: same input, same vectors
                    continue;
                }
                byModel.computeIfAbsent(model, m -> new ArrayList<>())
                    .add(new Target(docIndex, source.getKey(), target.getKey(), input, multiVector, target.getValue().poolFactor()));
            }
        }
    }

    /** The model must fit the target field of the document's index; returns whether the field is multi_vector. */
    private boolean checkFits(String index, String field, String model) {
        Encoder encoder = inference.encoder(model);
        if (index == null) {
            return encoder.kind().isMultiVector(); // simulated without _index: the vectors as the model gives them
        }
        FieldModels.Mapped mapped = fieldModels.resolve(index, field);
        if (mapped == null) {
            throw new IllegalArgumentException("[" + TYPE + "] target field [" + field + "] is not a multi_vector or dense_vector field of index ["
                + index + "]; map it before indexing");
        }
        boolean multiVector = MultiVectorFieldMapper.CONTENT_TYPE.equals(mapped.type());
        if (encoder.kind().isMultiVector() != multiVector || encoder.dims() != mapped.dims()) {
            throw new IllegalArgumentException("[" + TYPE + "] model [" + model + "] (" + encoder.kind().jsonName() + ", " + encoder.dims()
                + " dims) does not fit field [" + field + "] (" + mapped.type() + ", " + mapped.dims() + " dims)");
        }
        return multiVector;
    }

    private static List<Float> toList(float[] vector) {
        List<Float> list = new ArrayList<>(vector.length);
        for (float x : vector) {
            list.add(x);
        }
        return list;
    }

    /**
     * A token matrix as base64 of little-endian float32, which the multi_vector field reads as well as arrays: a
     * 50-token document has ~19,000 numbers, and as JSON numbers they cost more to box, print and parse than to embed.
     */
    private static String base64(float[][] matrix) {
        ByteBuffer bytes = ByteBuffer.allocate(matrix.length * matrix[0].length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] row : matrix) {
            bytes.asFloatBuffer().put(row);
            bytes.position(bytes.position() + row.length * Float.BYTES);
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    public static final class Factory implements Processor.Factory {
        private final InferenceService inference;
        private final FieldModels fieldModels;
        private final Client client;

        public Factory(InferenceService inference, FieldModels fieldModels, Client client) {
            this.inference = inference;
            this.fieldModels = fieldModels;
            this.client = client;
        }

        @Override
        @SuppressWarnings("unchecked")
        public MultiVectorEmbedProcessor create(Map<String, Processor.Factory> factories, String tag, String description,
                                                Map<String, Object> config) {
            Map<String, Object> rawMap = ConfigurationUtils.readMap(TYPE, tag, config, "field_map");
            boolean skipExisting = ConfigurationUtils.readBooleanProperty(TYPE, tag, config, "skip_existing", false);
            int maxChars = ConfigurationUtils.readIntProperty(TYPE, tag, config, "max_chars", MAX_CHARS);
            if (maxChars < 1) {
                throw ConfigurationUtils.newConfigurationException(TYPE, tag, "max_chars", "must be at least 1, got [" + maxChars + "]");
            }
            Map<String, Map<String, TargetSpec>> fieldMap = new LinkedHashMap<>();
            for (Map.Entry<String, Object> source : rawMap.entrySet()) {
                if (!(source.getValue() instanceof Map<?, ?> targets) || targets.isEmpty()) {
                    throw ConfigurationUtils.newConfigurationException(TYPE, tag, "field_map",
                        "[" + source.getKey() + "] must map target fields to model ids");
                }
                Map<String, TargetSpec> checked = new LinkedHashMap<>();
                for (Map.Entry<?, ?> target : targets.entrySet()) {
                    try {
                        checked.put(String.valueOf(target.getKey()), targetSpec(String.valueOf(target.getKey()), target.getValue()));
                    } catch (IllegalArgumentException e) {
                        throw ConfigurationUtils.newConfigurationException(TYPE, tag, "field_map", e.getMessage());
                    }
                }
                fieldMap.put(source.getKey(), checked);
            }
            return new MultiVectorEmbedProcessor(tag, description, fieldMap, skipExisting, maxChars, inference, fieldModels, client);
        }

        /** A target's value: a model id, or {@code {"model": id, "pool_factor": n}} for a token model. */
        private TargetSpec targetSpec(String field, Object value) {
            if (value instanceof Map<?, ?> options) {
                for (Object key : options.keySet()) {
                    if (key.equals("model") == false && key.equals("pool_factor") == false) {
                        throw new IllegalArgumentException("target [" + field + "]: unknown option [" + key + "]; accepted: [model, pool_factor]");
                    }
                }
                if (!(options.get("model") instanceof String model)) {
                    throw new IllegalArgumentException("target [" + field + "] needs [model], a model id");
                }
                Object factor = options.get("pool_factor");
                int poolFactor = 1;
                if (factor != null) {
                    if (!(factor instanceof Integer || factor instanceof Long || factor instanceof Short)
                        || ((Number) factor).longValue() < 1 || ((Number) factor).longValue() > TokenPooling.MAX_POOL_FACTOR) {
                        throw new IllegalArgumentException("target [" + field + "]: [pool_factor] must be an integer between 1 and "
                            + TokenPooling.MAX_POOL_FACTOR + ", got [" + factor + "]");
                    }
                    poolFactor = ((Number) factor).intValue();
                }
                if (inference.encoder(model).kind().isMultiVector() == false && factor != null) {
                    throw new IllegalArgumentException("target [" + field + "]: [pool_factor] pools token vectors, and model [" + model
                        + "] is " + inference.encoder(model).kind().jsonName() + " (one vector per input)");
                }
                return new TargetSpec(model, poolFactor);
            }
            String model = String.valueOf(value);
            inference.encoder(model);
            return new TargetSpec(model, 1);
        }
    }
}
