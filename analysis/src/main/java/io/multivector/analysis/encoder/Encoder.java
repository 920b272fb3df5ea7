package io.multivector.analysis.encoder;

import java.util.List;

/** A loaded model: turns a batch of inputs into vectors. Thread-safe. */
public interface Encoder {

    String id();

    ModelKind kind();

    int dims();

    /**
     * Encodes texts: for {@link ModelKind#TEXT_DENSE} each result has one vector, for {@link ModelKind#TEXT_TOKENS}
     * one per kept token. {@code asQuery} selects the query form (token models pad queries with [MASK]).
     */
    List<float[][]> encode(List<String> texts, boolean asQuery);

    EncoderStats stats();
}
