package io.multivector.codec.candidates;

import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.VectorEncoding;
import org.apache.lucene.index.VectorSimilarityFunction;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;

/**
 * The hidden kNN vector field that holds each document's {@link FixedDimensionalEncoding} of a multi-vector field.
 * Its name carries a checksum of the encoding's parameters, so that an index whose parameters changed has a new
 * field: segments written before hold the old field (or none) and are scored exactly, never searched with a query
 * encoded under other parameters. The parameters are also recorded as a field attribute and checked.
 */
public final class CandidateField {

    static final String ATTRIBUTE = "multivector.candidates";
    private static final String SEPARATOR = "#fde.";
    private static final Map<String, FieldType> TYPES = new ConcurrentHashMap<>();

    private CandidateField() {}

    public static String name(String field, FixedDimensionalEncoding encoding) {
        CRC32 crc = new CRC32();
        crc.update(encoding.describe().getBytes(StandardCharsets.UTF_8));
        return field + SEPARATOR + Long.toHexString(crc.getValue());
    }

    /** True for the name of a candidate field of any multi-vector field. */
    public static boolean isCandidateField(String name) {
        return name.contains(SEPARATOR);
    }

    /** The multi-vector field a candidate field belongs to. */
    public static String parentField(String name) {
        return name.substring(0, name.lastIndexOf(SEPARATOR));
    }

    public static KnnFloatVectorField create(String field, FixedDimensionalEncoding encoding, float[][] documentVectors) {
        String name = name(field, encoding);
        FieldType type = TYPES.computeIfAbsent(name, n -> {
            FieldType t = new FieldType();
            t.setVectorAttributes(encoding.dimensions(), VectorEncoding.FLOAT32, VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT);
            t.putAttribute(ATTRIBUTE, encoding.describe());
            t.freeze();
            return t;
        });
        return new KnnFloatVectorField(name, encoding.encodeDocument(documentVectors), type);
    }

    static boolean encodedWith(FieldInfo info, FixedDimensionalEncoding encoding) {
        return info != null && encoding.describe().equals(info.getAttribute(ATTRIBUTE));
    }
}
