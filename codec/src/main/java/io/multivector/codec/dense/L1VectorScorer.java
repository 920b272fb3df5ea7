package io.multivector.codec.dense;

import org.apache.lucene.codecs.hnsw.FlatVectorsScorer;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.apache.lucene.util.hnsw.UpdateableRandomVectorScorer;

import java.io.IOException;

/**
 * Scores float vectors by Manhattan distance, {@code 1 / (1 + Σ|aᵢ − bᵢ|)}, whatever similarity the field
 * records: the format that uses this scorer builds its HNSW graph with it and searches with it, so neighbours
 * are L1 neighbours, not those of another metric.
 */
public final class L1VectorScorer implements FlatVectorsScorer {

    public static final L1VectorScorer INSTANCE = new L1VectorScorer();

    private L1VectorScorer() {}

    public static float score(float[] a, float[] b) {
        return 1f / (1f + L1Distance.distance(a, b));
    }

    @Override
    public RandomVectorScorerSupplier getRandomVectorScorerSupplier(VectorSimilarityFunction ignored, KnnVectorValues values) {
        FloatVectorValues vectors = (FloatVectorValues) values;
        return new RandomVectorScorerSupplier() {
            @Override
            public UpdateableRandomVectorScorer scorer() throws IOException {
                FloatVectorValues targets = vectors.copy();
                FloatVectorValues others = vectors.copy();
                return new UpdateableRandomVectorScorer.AbstractUpdateableRandomVectorScorer(others) {
                    private final float[] target = new float[vectors.dimension()];

                    @Override
                    public void setScoringOrdinal(int ord) throws IOException {
                        System.arraycopy(targets.vectorValue(ord), 0, target, 0, target.length);
                    }

                    @Override
                    public float score(int ord) throws IOException {
                        return L1VectorScorer.score(target, others.vectorValue(ord));
                    }
                };
            }

            @Override
            public RandomVectorScorerSupplier copy() {
                return this;
            }
        };
    }

    @Override
    public RandomVectorScorer getRandomVectorScorer(VectorSimilarityFunction ignored, KnnVectorValues values, float[] target) {
        FloatVectorValues vectors = (FloatVectorValues) values;
        FlatVectorsScorer.checkDimensions(target.length, vectors.dimension());
        return new RandomVectorScorer.AbstractRandomVectorScorer(vectors) {
            @Override
            public float score(int ord) throws IOException {
                return L1VectorScorer.score(target, vectors.vectorValue(ord));
            }
        };
    }

    @Override
    public RandomVectorScorer getRandomVectorScorer(VectorSimilarityFunction ignored, KnnVectorValues values, byte[] target) {
        throw new UnsupportedOperationException("l1 fields hold float vectors");
    }

    @Override
    public String toString() {
        return "L1VectorScorer()";
    }
}
