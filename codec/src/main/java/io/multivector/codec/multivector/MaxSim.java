package io.multivector.codec.multivector;

import org.apache.lucene.util.VectorUtil;

/** MaxSim(q, D) = Σᵢ maxⱼ sim(qᵢ, dⱼ), over a query prepared for the field's precision and similarity. */
public final class MaxSim {

    private MaxSim() {}

    /** Copies the query, normalized for cosine and reduced to signs (±1) for bit fields. */
    public static float[][] prepare(float[][] query, int dims, ElementType elementType, TokenSimilarity similarity) {
        float[][] prepared = new float[query.length][];
        for (int i = 0; i < query.length; i++) {
            if (query[i].length != dims) {
                throw new IllegalArgumentException("query vector [" + i + "] has [" + query[i].length + "] dims, expected [" + dims + "]");
            }
            prepared[i] = query[i].clone();
            if (elementType == ElementType.BIT) {
                for (int d = 0; d < dims; d++) {
                    prepared[i][d] = prepared[i][d] > 0 ? 1f : -1f;
                }
            } else if (similarity == TokenSimilarity.COSINE) {
                TokenSimilarity.normalize(prepared[i]);
            }
        }
        return prepared;
    }

    /** Scores the first {@code n} rows of {@code doc}; rows are decoded vectors of the field's dims. */
    public static float score(float[][] query, float[][] doc, int n, TokenSimilarity similarity, ElementType elementType) {
        boolean l2 = similarity == TokenSimilarity.L2 && elementType != ElementType.BIT;
        float sum = 0;
        for (float[] q : query) {
            float best = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                float sim = l2 ? -VectorUtil.squareDistance(q, doc[j]) : VectorUtil.dotProduct(q, doc[j]);
                best = Math.max(best, sim);
            }
            sum += best;
        }
        return sum;
    }
}
