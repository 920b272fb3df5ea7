package io.multivector.codec.candidates;

import java.util.Locale;
import java.util.Random;

/**
 * MUVERA's fixed-dimensional encoding (Dhulipala et al., arXiv 2405.19504): one vector per token matrix whose inner
 * product with a query's encoding approximates the MaxSim (Chamfer) similarity of the two matrices, so that one
 * ordinary kNN index finds a document's candidates.
 *
 * <p>Per repetition, {@code kSim} random hyperplanes split the space into {@code 2^kSim} buckets (SimHash). A
 * document contributes the average of its vectors in each bucket; an empty bucket takes the document vector whose
 * sign pattern is nearest in Hamming distance, so that every query vector meets some document vector. A query
 * contributes the sum of its vectors per bucket. Each bucket's vector is reduced to {@code dProj} dimensions by a
 * random ±1 projection (identity when {@code dProj == dims}). Repetitions are concatenated: the encoding has
 * {@code repetitions · 2^kSim · dProj} dimensions; each repetition adds one estimate of MaxSim to the inner product
 * ({@link #innerProductScale()}).
 *
 * <p>Data-oblivious: the hyperplanes and projections come from the seed alone ({@link Random} is specified to give
 * the same sequence on every JVM), so every segment, merge and node encodes alike.
 */
public final class FixedDimensionalEncoding {

    public static final int MAX_K_SIM = 8;

    private final int dims;
    private final int kSim;
    private final int dProj;
    private final int repetitions;
    private final long seed;
    /** [rep][plane][dim] */
    private final float[][][] planes;
    /** [rep][proj][dim], entries ±1/√dProj; null when dProj == dims (no projection). */
    private final float[][][] projections;

    public FixedDimensionalEncoding(int dims, int kSim, int dProj, int repetitions, long seed) {
        if (dims < 1 || kSim < 0 || kSim > MAX_K_SIM || dProj < 1 || dProj > dims || repetitions < 1) {
            throw new IllegalArgumentException("invalid encoding parameters: dims=" + dims + ", k_sim=" + kSim + " (0.." + MAX_K_SIM
                + "), d_proj=" + dProj + " (1..dims), repetitions=" + repetitions + " (>= 1)");
        }
        this.dims = dims;
        this.kSim = kSim;
        this.dProj = dProj;
        this.repetitions = repetitions;
        this.seed = seed;
        Random random = new Random(seed);
        planes = new float[repetitions][kSim][dims];
        projections = dProj == dims ? null : new float[repetitions][dProj][dims];
        float entry = (float) (1 / Math.sqrt(dProj));
        for (int r = 0; r < repetitions; r++) {
            for (float[] plane : planes[r]) {
                for (int d = 0; d < dims; d++) {
                    plane[d] = (float) random.nextGaussian();
                }
            }
            if (projections != null) {
                for (float[] row : projections[r]) {
                    for (int d = 0; d < dims; d++) {
                        row[d] = random.nextBoolean() ? entry : -entry;
                    }
                }
            }
        }
    }

    public static long dimensions(int kSim, int dProj, int repetitions) {
        return (long) repetitions * (1L << kSim) * dProj;
    }

    public int dimensions() {
        return (int) dimensions(kSim, dProj, repetitions);
    }

    /** The parameters as one string: recorded with each segment's encodings, compared before they are searched. */
    public String describe() {
        return String.format(Locale.ROOT, "fde(dims=%d,k_sim=%d,d_proj=%d,repetitions=%d,seed=%d)", dims, kSim, dProj, repetitions, seed);
    }

    /** Documents: average per bucket, empty buckets filled from the nearest vector. */
    public float[] encodeDocument(float[][] vectors) {
        return encode(vectors, true);
    }

    /** Queries: sum per bucket, empty buckets stay zero. */
    public float[] encodeQuery(float[][] vectors) {
        return encode(vectors, false);
    }

    private float[] encode(float[][] vectors, boolean document) {
        int buckets = 1 << kSim;
        float[] out = new float[dimensions()];
        float[][] sums = new float[buckets][dims];
        int[] counts = new int[buckets];
        int[] codes = new int[vectors.length];
        for (int r = 0; r < repetitions; r++) {
            for (float[] sum : sums) {
                java.util.Arrays.fill(sum, 0f);
            }
            java.util.Arrays.fill(counts, 0);
            for (int v = 0; v < vectors.length; v++) {
                float[] x = check(vectors[v]);
                int code = bucket(planes[r], x);
                codes[v] = code;
                counts[code]++;
                float[] sum = sums[code];
                for (int d = 0; d < dims; d++) {
                    sum[d] += x[d];
                }
            }
            for (int b = 0; b < buckets; b++) {
                float[] bucket = sums[b];
                if (document && counts[b] == 0 && vectors.length > 0) {
                    bucket = vectors[nearest(codes, b)];
                } else if (document && counts[b] > 1) {
                    float inv = 1f / counts[b];
                    for (int d = 0; d < dims; d++) {
                        bucket[d] *= inv;
                    }
                }
                project(r, bucket, out, (r * buckets + b) * dProj);
            }
        }
        return out;
    }

    private float[] check(float[] x) {
        if (x.length != dims) {
            throw new IllegalArgumentException("vector has [" + x.length + "] dims, the encoding takes [" + dims + "]");
        }
        return x;
    }

    private int bucket(float[][] repPlanes, float[] x) {
        int code = 0;
        for (int p = 0; p < kSim; p++) {
            float dot = 0;
            float[] plane = repPlanes[p];
            for (int d = 0; d < dims; d++) {
                dot += plane[d] * x[d];
            }
            if (dot > 0) {
                code |= 1 << p;
            }
        }
        return code;
    }

    /** The first vector whose bucket is nearest to {@code bucket} in Hamming distance. */
    private static int nearest(int[] codes, int bucket) {
        int best = 0, bestDistance = Integer.MAX_VALUE;
        for (int v = 0; v < codes.length; v++) {
            int distance = Integer.bitCount(codes[v] ^ bucket);
            if (distance < bestDistance) {
                best = v;
                bestDistance = distance;
            }
        }
        return best;
    }

    private void project(int rep, float[] x, float[] out, int offset) {
        if (projections == null) {
            System.arraycopy(x, 0, out, offset, dims);
            return;
        }
        for (int j = 0; j < dProj; j++) {
            float[] row = projections[rep][j];
            float dot = 0;
            for (int d = 0; d < dims; d++) {
                dot += row[d] * x[d];
            }
            out[offset + j] = dot;
        }
    }

    /** MaxSim ≈ innerProductScale() · ⟨encodeQuery(Q), encodeDocument(P)⟩: the repetitions add up, one estimate each. */
    public float innerProductScale() {
        return 1f / repetitions;
    }

    public int dims() {
        return dims;
    }
}
