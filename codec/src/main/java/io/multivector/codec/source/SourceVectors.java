package io.multivector.codec.source;

import org.apache.lucene.util.BytesRef;

import java.io.IOException;
import java.util.Iterator;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Moves the values of vector fields out of a document's stored source and back, so that vectors are stored once,
 * by their own formats. The codec knows which fields hold vectors and reads them back; an implementation knows
 * the syntax of the source (the OpenSearch plugin provides one through {@link ServiceLoader}).
 */
public interface SourceVectors {

    /** The stored field that holds a document's source. */
    String SOURCE_FIELD = "_source";

    /**
     * The source to store: the value of each top-level or object-nested field for which {@code isVectorField}
     * holds replaced by a mask that {@link #restore} recognizes; null when no value was replaced.
     */
    BytesRef strip(BytesRef source, Predicate<String> isVectorField) throws IOException;

    /**
     * The source as it was given: each mask replaced by the vectors of its field ({@code float[][]} or
     * {@code float[]}, null when the document has none); null when nothing was masked.
     */
    BytesRef restore(BytesRef stored, Function<String, Object> vectorsOfField) throws IOException;

    /** The implementation on the class path, or null: without one, sources are stored whole. */
    static SourceVectors load() {
        Iterator<SourceVectors> found = ServiceLoader.load(SourceVectors.class, SourceVectors.class.getClassLoader()).iterator();
        return found.hasNext() ? found.next() : null;
    }
}
