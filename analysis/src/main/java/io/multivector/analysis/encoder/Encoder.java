package io.multivector.analysis.encoder;

import java.util.List;

/** A loaded model: turns a batch of inputs into vectors. Thread-safe. */
public interface Encoder {

    String id();

    ModelKind kind();

    int dims();

    /**
     * Encodes texts: for {@link ModelKind#TEXT_TOKENS} each result has one vector per kept token, for the other text
     * kinds one vector. {@code asQuery} selects the query form (the model's query prefix and marker; [MASK] padding for
     * token models with query augmentation; see {@link TextEncoding}). Image models
     * refuse texts.
     */
    List<float[][]> encode(List<String> texts, boolean asQuery);

    /**
     * Encodes images (JPEG or PNG bytes), one vector each; only {@link ModelKind#IMAGE} models take images.
     *
     * @throws IllegalArgumentException when the model takes texts, or some bytes are not a decodable image
     */
    default List<float[][]> encodeImages(List<byte[]> images) {
        throw new IllegalArgumentException("model [" + id() + "] (" + kind().jsonName() + ") encodes texts, not images");
    }

    /** Size of the model's weights, as loaded. */
    long modelBytes();

    EncoderStats stats();
}
