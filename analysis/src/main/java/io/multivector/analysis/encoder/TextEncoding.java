package io.multivector.analysis.encoder;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * How a text becomes a BERT-style model's input ids, apart from the tokenizer itself: what the model was trained with.
 * A prefix is text put before the text (e5's {@code "query: "} / {@code "passage: "}, BGE's query instruction); a marker
 * is one token of the vocabulary put right after [CLS] (ColBERT's [Q] / [D], {@code [unused0]} / {@code [unused1]} in
 * its checkpoints); query augmentation pads a token model's queries with [MASK] to {@code queryLength} tokens (ColBERT
 * is trained for it; a model that was not, like MiniLM, gets noise vectors that dominate the MaxSim sum).
 *
 * @param queryLength the padded length, used only with {@code queryAugmentation}
 * @param queryMarker a token of the vocabulary, or null for none (likewise {@code documentMarker})
 */
public record TextEncoding(boolean queryAugmentation, int queryLength, String queryPrefix, String documentPrefix, String queryMarker,
                           String documentMarker) {

    public static final Set<String> KEYS = Set.of("query_augmentation", "query_length", "query_prefix", "document_prefix", "query_marker",
        "document_marker");

    /** Nothing added: the text as it is, and no padding. */
    public static final TextEncoding PLAIN = new TextEncoding(false, 32, "", "", null, null);

    public TextEncoding {
        if (queryLength < 1) {
            throw new IllegalArgumentException("[query_length] must be at least 1, got [" + queryLength + "]");
        }
        if (queryPrefix == null || documentPrefix == null) {
            throw new IllegalArgumentException("[query_prefix] and [document_prefix] must be strings (\"\" for none)");
        }
        for (String marker : new String[] { queryMarker, documentMarker }) {
            if (marker != null && (marker.isEmpty() || marker.isBlank())) {
                throw new IllegalArgumentException("a marker must be one token of the vocabulary, got [" + marker + "]");
            }
        }
    }

    /**
     * The kind's defaults, overridden by what a registration body sets. A {@code text_tokens} model pads its queries to
     * 32 tokens unless told otherwise (a registered token model is most likely a ColBERT checkpoint, trained for it);
     * no other kind pads, and {@code query_augmentation} is refused there.
     */
    public static TextEncoding fromMap(ModelKind kind, Map<String, Object> body, int maxTokens) {
        boolean tokens = kind == ModelKind.TEXT_TOKENS;
        if (kind.isBert() == false) { // query_length alone is accepted (and unused): definitions stored before kept it for every kind
            for (String key : KEYS) {
                if (body.containsKey(key) && key.equals("query_length") == false) {
                    throw new IllegalArgumentException("[" + key + "] is only for text_dense and text_tokens models, not [" + kind.jsonName() + "]");
                }
            }
        }
        Object augmentation = body.getOrDefault("query_augmentation", tokens);
        if (augmentation instanceof Boolean == false && "true".equals(augmentation) == false && "false".equals(augmentation) == false) {
            throw new IllegalArgumentException("[query_augmentation] must be true or false, got [" + augmentation + "]");
        }
        boolean augment = Boolean.parseBoolean(augmentation.toString());
        if (augment && tokens == false) {
            throw new IllegalArgumentException("[query_augmentation] pads token vectors, so it is only for text_tokens models");
        }
        int queryLength = intValue(body, "query_length", Math.min(32, maxTokens));
        return new TextEncoding(augment, queryLength, string(body, "query_prefix", ""), string(body, "document_prefix", ""),
            string(body, "query_marker", null), string(body, "document_marker", null));
    }

    /** Writes the settings into a definition's map (markers only when set). */
    public void putInto(Map<String, Object> map) {
        map.put("query_augmentation", queryAugmentation);
        map.put("query_length", queryLength);
        map.put("query_prefix", queryPrefix);
        map.put("document_prefix", documentPrefix);
        if (queryMarker != null) {
            map.put("query_marker", queryMarker);
        }
        if (documentMarker != null) {
            map.put("document_marker", documentMarker);
        }
    }

    /**
     * The effective settings as shown by {@code GET _plugins/_multivector/models}: every key the kind uses (augmentation
     * only for text_tokens), null for no marker.
     */
    public Map<String, Object> describe(ModelKind kind, int maxTokens) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("max_tokens", maxTokens);
        putInto(map);
        if (kind != ModelKind.TEXT_TOKENS) {
            map.remove("query_augmentation");
            map.remove("query_length");
        }
        map.putIfAbsent("query_marker", null);
        map.putIfAbsent("document_marker", null);
        return map;
    }

    public String prefix(boolean asQuery) {
        return asQuery ? queryPrefix : documentPrefix;
    }

    public String marker(boolean asQuery) {
        return asQuery ? queryMarker : documentMarker;
    }

    private static String string(Map<String, Object> body, String key, String defaultValue) {
        Object value = body.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("[" + key + "] must be a string, got [" + value + "]");
    }

    static int intValue(Map<String, Object> body, String key, int defaultValue) {
        Object value = body.get(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            return value instanceof Number n ? n.intValue() : Integer.parseInt(value.toString());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("[" + key + "] must be an integer, got [" + value + "]");
        }
    }
}
