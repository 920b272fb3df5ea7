package io.multivector.codec.candidates;

import org.apache.lucene.tests.util.LuceneTestCase;

import java.util.Random;

/** The encoding against MaxSim computed directly: exact cases, and the approximation the paper bounds. */
public class TestFixedDimensionalEncoding extends LuceneTestCase {

    public void testOneDocumentVectorGivesMaxSimExactly() {
        int dims = 8 + random().nextInt(24);
        FixedDimensionalEncoding fde = new FixedDimensionalEncoding(dims, random().nextInt(5), dims, 1 + random().nextInt(4), random().nextLong());
        float[][] query = unitVectors(random(), 1 + random().nextInt(10), dims);
        float[][] doc = unitVectors(random(), 1, dims);
        // every bucket holds (or is filled with) the one document vector, and there is no projection
        assertEquals(maxSim(query, doc), estimate(fde, query, doc), 1e-4);
    }

    public void testOneBucketGivesSumOfQueryDotMeanOfDocument() {
        int dims = 16;
        FixedDimensionalEncoding fde = new FixedDimensionalEncoding(dims, 0, dims, 1, 7);
        float[][] query = unitVectors(random(), 5, dims);
        float[][] doc = unitVectors(random(), 9, dims);
        double expected = 0;
        for (float[] q : query) {
            for (float[] p : doc) {
                expected += dot(q, p) / doc.length;
            }
        }
        assertEquals(expected, estimate(fde, query, doc), 1e-4);
    }

    public void testSameSeedSameEncodingOtherSeedAnother() {
        float[][] doc = unitVectors(random(), 20, 32);
        float[] a = new FixedDimensionalEncoding(32, 4, 8, 3, 42).encodeDocument(doc);
        float[] b = new FixedDimensionalEncoding(32, 4, 8, 3, 42).encodeDocument(doc);
        float[] c = new FixedDimensionalEncoding(32, 4, 8, 3, 43).encodeDocument(doc);
        assertArrayEquals(a, b, 0f);
        assertFalse(java.util.Arrays.equals(a, c));
        assertEquals(3 * 16 * 8, a.length);
    }

    public void testRejectsParametersOutsideTheirRanges() {
        expectThrows(IllegalArgumentException.class, () -> new FixedDimensionalEncoding(16, 9, 8, 1, 1));
        expectThrows(IllegalArgumentException.class, () -> new FixedDimensionalEncoding(16, 4, 17, 1, 1));
        expectThrows(IllegalArgumentException.class, () -> new FixedDimensionalEncoding(16, 4, 8, 0, 1));
        FixedDimensionalEncoding fde = new FixedDimensionalEncoding(16, 4, 8, 1, 1);
        expectThrows(IllegalArgumentException.class, () -> fde.encodeQuery(new float[][] { new float[15] }));
    }

    /** Without projection a query vector meets an average (or one) of document vectors: never more than its best match. */
    public void testNeverAboveMaxSimWithoutProjection() {
        int dims = 16 + random().nextInt(32);
        FixedDimensionalEncoding fde = new FixedDimensionalEncoding(dims, random().nextInt(7), dims, 1 + random().nextInt(8), random().nextLong());
        for (int i = 0; i < 50; i++) {
            float[][] query = unitVectors(random(), 1 + random().nextInt(32), dims);
            float[][] doc = unitVectors(random(), 1 + random().nextInt(64), dims);
            assertTrue(estimate(fde, query, doc) <= maxSim(query, doc) + 1e-4);
        }
    }

    /**
     * Theorem 2.1 of the paper: for unit vectors, NChamfer(Q, P) - ε <= ⟨F_q(Q), F_doc(P)⟩ / |Q| <= NChamfer(Q, P) + ε
     * with probability at least 1 - δ once k_sim = O(log(m/δ) / ε). Its constants are not given; on clustered token-
     * like data (8 tight clusters, 64 document and 32 query vectors) the error must fall as k_sim grows and be within
     * ε = 0.1 for all but δ = 5% of the pairs at k_sim 8, and the ±1 projection must leave it unbiased.
     */
    public void testErrorFallsWithBucketsToTheStatedBound() {
        Random random = new Random(random().nextLong());
        int dims = 64, pairs = 100;
        double epsilon = 0.1, delta = 0.05;
        FixedDimensionalEncoding coarse = new FixedDimensionalEncoding(dims, 4, dims, 20, random.nextLong());
        FixedDimensionalEncoding fine = new FixedDimensionalEncoding(dims, 8, dims, 20, random.nextLong());
        FixedDimensionalEncoding projected = new FixedDimensionalEncoding(dims, 8, 16, 20, random.nextLong());
        int outside = 0;
        double coarseError = 0, fineError = 0, projectedBias = 0;
        for (int i = 0; i < pairs; i++) {
            float[][] centroids = unitVectors(random, 8, dims);
            float[][] doc = near(random, centroids, 64, dims);
            float[][] query = near(random, centroids, 32, dims);
            double exact = maxSim(query, doc) / query.length;
            double error = estimate(fine, query, doc) / query.length - exact;
            outside += Math.abs(error) > epsilon ? 1 : 0;
            fineError += Math.abs(error) / pairs;
            coarseError += Math.abs(estimate(coarse, query, doc) / query.length - exact) / pairs;
            projectedBias += (estimate(projected, query, doc) / query.length - exact) / pairs;
        }
        assertTrue(outside + " of " + pairs + " pairs outside ±" + epsilon, outside <= delta * pairs);
        assertTrue("k_sim 8 error " + fineError + " >= k_sim 4 error " + coarseError, fineError < coarseError);
        assertTrue("projected mean error " + projectedBias + " vs " + fineError, Math.abs(projectedBias) < fineError + epsilon / 2);
    }

    static double estimate(FixedDimensionalEncoding fde, float[][] query, float[][] doc) {
        return fde.innerProductScale() * dot(fde.encodeQuery(query), fde.encodeDocument(doc));
    }

    static double maxSim(float[][] query, float[][] doc) {
        double sum = 0;
        for (float[] q : query) {
            double best = Double.NEGATIVE_INFINITY;
            for (float[] p : doc) {
                best = Math.max(best, dot(q, p));
            }
            sum += best;
        }
        return sum;
    }

    static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    static float[][] unitVectors(Random random, int n, int dims) {
        float[][] vectors = new float[n][dims];
        for (float[] v : vectors) {
            for (int d = 0; d < dims; d++) {
                v[d] = (float) random.nextGaussian();
            }
            normalize(v);
        }
        return vectors;
    }

    /** Unit vectors close to the centroids (cosine ≈ 0.99 to their centroid). */
    static float[][] near(Random random, float[][] centroids, int n, int dims) {
        float[][] vectors = new float[n][dims];
        for (float[] v : vectors) {
            float[] c = centroids[random.nextInt(centroids.length)];
            for (int d = 0; d < dims; d++) {
                v[d] = c[d] + 0.02f * (float) random.nextGaussian();
            }
            normalize(v);
        }
        return vectors;
    }

    static void normalize(float[] v) {
        double norm = Math.sqrt(dot(v, v));
        for (int d = 0; d < v.length; d++) {
            v[d] /= (float) norm;
        }
    }
}
