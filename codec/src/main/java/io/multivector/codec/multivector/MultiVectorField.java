package io.multivector.codec.multivector;

import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.util.BytesRef;

/**
 * A document's token matrix, encoded at the field's precision into one binary doc value; the codec routes the
 * field to {@link MultiVectorDocValuesFormat}. Cosine fields are normalized here, once, at index time.
 */
public final class MultiVectorField extends BinaryDocValuesField {

    public MultiVectorField(String name, float[][] vectors, int dims, ElementType elementType, TokenSimilarity similarity) {
        super(name, new BytesRef(elementType.encode(prepare(vectors, similarity), dims)));
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
