package io.multivector.codec.multivector;

import io.multivector.codec.VectorFieldAttributes;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.index.DocValuesType;
import org.apache.lucene.util.BytesRef;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A document's token matrix, encoded at the field's precision into one binary doc value; the codec routes the
 * field to {@link MultiVector11DocValuesFormat}. Cosine fields are normalized here, once, at index time. The field
 * type marks the field with its dims and precision, so a segment can decode its matrices by itself.
 */
public final class MultiVectorField extends Field {

    private static final ConcurrentHashMap<Long, FieldType> TYPES = new ConcurrentHashMap<>();

    public MultiVectorField(String name, float[][] vectors, int dims, ElementType elementType, TokenSimilarity similarity) {
        super(name, new BytesRef(elementType.encode(prepare(vectors, similarity), dims)), fieldType(dims, elementType));
    }

    static FieldType fieldType(int dims, ElementType elementType) {
        return TYPES.computeIfAbsent(((long) dims << 8) | elementType.ordinal(), key -> {
            FieldType type = new FieldType();
            type.setDocValuesType(DocValuesType.BINARY);
            VectorFieldAttributes.markMultiVector(type, dims, elementType);
            type.freeze();
            return type;
        });
    }

    private static float[][] prepare(float[][] vectors, TokenSimilarity similarity) {
        if (similarity != TokenSimilarity.COSINE) {
            return vectors;
        }
        float[][] normalized = new float[vectors.length][];
        for (int i = 0; i < vectors.length; i++) {
            normalized[i] = vectors[i].clone();
            TokenSimilarity.normalize(normalized[i]);
        }
        return normalized;
    }
}
