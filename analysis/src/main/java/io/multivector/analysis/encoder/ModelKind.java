package io.multivector.analysis.encoder;

import java.util.Locale;

/** What a model turns text or images into. */
public enum ModelKind {
    /** One vector per text (pooled), for dense_vector fields. */
    TEXT_DENSE,
    /** One vector per token (ColBERT style), for multi_vector fields. */
    TEXT_TOKENS;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ModelKind fromJson(String name) {
        for (ModelKind kind : values()) {
            if (kind.jsonName().equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown model kind [" + name + "]; known: [text_dense, text_tokens]");
    }

    public boolean isMultiVector() {
        return this == TEXT_TOKENS;
    }
}
