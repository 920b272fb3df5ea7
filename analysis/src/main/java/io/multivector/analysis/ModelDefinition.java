package io.multivector.analysis;

import io.multivector.analysis.encoder.BertEncoder;
import io.multivector.analysis.encoder.ModelKind;
import io.multivector.analysis.encoder.TextEncoding;
import io.multivector.analysis.tokenizer.ClipBpeTokenizer;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A model registered by a user: an ONNX model and (for text kinds) its tokenizer.json, given as paths relative to the
 * node's {@code config/multivector} directory (never an absolute path, a path out of it, or a URL). Text kinds take a
 * BERT-style model (XLM-R too) and any Hugging Face tokenizer.json ({@link io.multivector.analysis.tokenizer.TokenizerJson});
 * {@code clip_text} a CLIP text tower and its BPE tokenizer (max_tokens is its context length, 77 by default);
 * {@code image} a CLIP vision tower alone (no tokenizer_file). Text kinds may name a {@code projection_file} too: a
 * {@code [hidden, dims]} float32 matrix applied to the model's outputs (ColBERT's final linear layer), {@code dims}
 * then being the projected size. Text kinds also say how a text becomes input ids
 * ({@link TextEncoding}: prefixes, markers, query augmentation), with the kind's defaults for what a body leaves out.
 */
public record ModelDefinition(String id, ModelKind kind, String modelFile, String tokenizerFile, int dims, BertEncoder.Pooling pooling,
                              boolean normalize, int maxTokens, TextEncoding encoding, String projectionFile) {

    static final Set<String> KEYS = Stream.concat(Stream.of("kind", "model_file", "tokenizer_file", "dims", "pooling", "normalize",
        "max_tokens", "projection_file"), TextEncoding.KEYS.stream()).collect(Collectors.toUnmodifiableSet());

    public ModelDefinition {
        if (id == null || id.matches("[a-z0-9][a-z0-9_.-]{0,63}") == false) {
            throw new IllegalArgumentException("model id [" + id + "] must be 1-64 lowercase letters, digits, '.', '_' or '-'");
        }
        checkRelative("model_file", modelFile);
        if (kind.needsTokenizer()) {
            checkRelative("tokenizer_file", tokenizerFile);
        } else if (tokenizerFile != null) {
            throw new IllegalArgumentException("[tokenizer_file] is not used by [" + kind.jsonName() + "] models");
        }
        if (projectionFile != null) {
            if (kind.isBert() == false) {
                throw new IllegalArgumentException("[projection_file] is only for text_tokens and text_dense models, not [" + kind.jsonName() + "]");
            }
            checkRelative("projection_file", projectionFile);
        }
        if (dims < 1 || dims > 4096) {
            throw new IllegalArgumentException("[dims] must be between 1 and 4096, got [" + dims + "]");
        }
        if (maxTokens < 2 || maxTokens > 8192) {
            throw new IllegalArgumentException("[max_tokens] must be between 2 and 8192, got [" + maxTokens + "]");
        }
        if (encoding.queryLength() > maxTokens) {
            throw new IllegalArgumentException("[query_length] must be between 1 and max_tokens, got [" + encoding.queryLength() + "]");
        }
    }

    private static void checkRelative(String key, String path) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("[" + key + "] is required");
        }
        if (path.startsWith("/") || path.startsWith("\\") || path.contains(":") || path.contains("\\")) {
            throw new IllegalArgumentException("[" + key + "] must be a path relative to config/multivector, got [" + path + "]");
        }
        for (String part : path.split("/")) {
            if (part.equals("..") || part.equals(".") || part.isEmpty()) {
                throw new IllegalArgumentException("[" + key + "] must stay inside config/multivector, got [" + path + "]");
            }
        }
    }

    /** From the body of {@code PUT _plugins/_multivector/models/<id>}. */
    public static ModelDefinition fromMap(String id, Map<String, Object> body) {
        for (String key : body.keySet()) {
            if (KEYS.contains(key) == false) {
                throw new IllegalArgumentException("unknown model parameter [" + key + "]; accepted: " + KEYS.stream().sorted().toList());
            }
        }
        Object kind = body.get("kind");
        if (kind == null) {
            throw new IllegalArgumentException("[kind] is required: text_dense, text_tokens, image or clip_text");
        }
        ModelKind modelKind = ModelKind.fromJson(kind.toString());
        String pooling = String.valueOf(body.getOrDefault("pooling", "mean")).toUpperCase(Locale.ROOT);
        if (pooling.equals("MEAN") == false && pooling.equals("CLS") == false) {
            throw new IllegalArgumentException("[pooling] must be mean or cls, got [" + body.get("pooling") + "]");
        }
        int maxTokens = intValue(body, "max_tokens", modelKind == ModelKind.CLIP_TEXT ? ClipBpeTokenizer.CLIP_CONTEXT_LENGTH : 256);
        return new ModelDefinition(id, modelKind, (String) body.get("model_file"),
            (String) body.get("tokenizer_file"), intValue(body, "dims", -1), BertEncoder.Pooling.valueOf(pooling),
            Boolean.parseBoolean(String.valueOf(body.getOrDefault("normalize", "true"))), maxTokens,
            TextEncoding.fromMap(modelKind, body, maxTokens), (String) body.get("projection_file"));
    }

    private static int intValue(Map<String, Object> body, String key, int defaultValue) {
        Object value = body.get(key);
        if (value == null) {
            if (defaultValue < 0) {
                throw new IllegalArgumentException("[" + key + "] is required");
            }
            return defaultValue;
        }
        try {
            return value instanceof Number n ? n.intValue() : Integer.parseInt(value.toString());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("[" + key + "] must be an integer, got [" + value + "]");
        }
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("kind", kind.jsonName());
        map.put("model_file", modelFile);
        if (tokenizerFile != null) {
            map.put("tokenizer_file", tokenizerFile);
        }
        map.put("dims", dims);
        map.put("pooling", pooling.name().toLowerCase(Locale.ROOT));
        map.put("normalize", normalize);
        map.put("max_tokens", maxTokens);
        if (kind.isBert()) {
            encoding.putInto(map);
        } else {
            map.put("query_length", encoding.queryLength());
        }
        if (projectionFile != null) {
            map.put("projection_file", projectionFile);
        }
        return new HashMap<>(map);
    }
}
