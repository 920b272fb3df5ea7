package io.multivector.analysis.encoder;

import java.util.Arrays;
import java.util.Locale;

/** What a model turns text or images into. */
public enum ModelKind {
    /** One vector per text (pooled), for dense_vector fields. */
    TEXT_DENSE,
    /** One vector per token (ColBERT style), for multi_vector fields. */
    TEXT_TOKENS,
    /** CLIP's vision tower: one vector per image (JPEG or PNG), for dense_vector fields. */
    IMAGE,
    /** CLIP's text tower: one vector per text, in the image vectors' space, for dense_vector fields. */
    CLIP_TEXT;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ModelKind fromJson(String name) {
        for (ModelKind kind : values()) {
            if (kind.jsonName().equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown model kind [" + name + "]; known: " + Arrays.stream(values()).map(ModelKind::jsonName).toList());
    }

    public boolean isMultiVector() {
        return this == TEXT_TOKENS;
    }

    /** Whether the model is BERT-style (input ids from a tokenizer.json, hidden states out): {@link #TEXT_DENSE} and {@link #TEXT_TOKENS}. */
    public boolean isBert() {
        return this == TEXT_DENSE || this == TEXT_TOKENS;
    }

    /** Whether the model's inputs are images (given as base64 in requests) rather than texts. */
    public boolean takesImages() {
        return this == IMAGE;
    }

    /** Whether a registration names a tokenizer.json: every kind but {@link #IMAGE}. */
    public boolean needsTokenizer() {
        return this != IMAGE;
    }
}
