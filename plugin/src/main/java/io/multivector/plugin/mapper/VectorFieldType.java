package io.multivector.plugin.mapper;

/** What the {@code vector} query needs to know of any vector field of this plugin. */
public interface VectorFieldType {

    String name();

    int dims();

    /** The encoder for {@code query_text} / {@code query_image}, or null. */
    String model();

    /** True for a token matrix per document (MaxSim), false for one vector per document (kNN). */
    boolean isMultiVector();
}
