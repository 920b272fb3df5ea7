package io.multivector.analysis.pooling;

import io.multivector.analysis.encoder.BertEncoder;

import java.util.Arrays;

/**
 * Token pooling (Clavié, Chaffin, Adams 2024, "Reducing the footprint of multi-vector retrieval with minimal performance
 * impact via token pooling"): a document's token vectors are clustered hierarchically, {@code ceil(n / poolFactor)}
 * clusters, and each cluster is replaced by the mean of its vectors, so a document keeps 1/poolFactor of its vectors.
 *
 * <p>Clustering is Ward's linkage on cosine distances {@code 1 - cos(a, b)}. For unit vectors that distance is half the
 * squared Euclidean distance, so the Lance-Williams update below gives exactly Ward's minimum-variance hierarchy of the
 * L2-normalized vectors (merge cost of clusters A, B: {@code 2 |A||B| / (|A|+|B|) * ||mean(A) - mean(B)||^2 / 2}).
 * The reference code feeds scipy a square distance matrix, which scipy reads as observation vectors; we do not copy
 * that quirk. Ward is reducible, so the nearest-neighbour chain finds the same hierarchy as greedy merging in O(n^2)
 * time with one n(n-1)/2 float matrix; merges are then applied in order of cost until {@code ceil(n / poolFactor)}
 * clusters remain. Ties go to the lower index, so the result depends only on the input.
 */
public final class TokenPooling {

    public static final int MAX_POOL_FACTOR = 64;

    private TokenPooling() {}

    /**
     * The pooled matrix: {@code ceil(n / poolFactor)} rows, each the mean of one cluster's (original, not normalized)
     * vectors, L2-normalized when {@code normalize}; clusters in the order of their first token. A pool factor of 1, or a
     * one-vector matrix, gives the matrix itself.
     */
    public static float[][] pool(float[][] vectors, int poolFactor, boolean normalize) {
        if (poolFactor < 1 || poolFactor > MAX_POOL_FACTOR) {
            throw new IllegalArgumentException("[pool_factor] must be between 1 and " + MAX_POOL_FACTOR + ", got [" + poolFactor + "]");
        }
        int n = vectors.length;
        int k = (n + poolFactor - 1) / poolFactor;
        if (poolFactor == 1 || k == n) {
            return vectors;
        }
        int[] cluster = clusters(vectors, k);
        int dims = vectors[0].length;
        float[][] pooled = new float[k][dims];
        int[] counts = new int[k];
        for (int i = 0; i < n; i++) {
            float[] sum = pooled[cluster[i]];
            for (int d = 0; d < dims; d++) {
                sum[d] += vectors[i][d];
            }
            counts[cluster[i]]++;
        }
        for (int c = 0; c < k; c++) {
            float inverse = 1f / counts[c];
            for (int d = 0; d < dims; d++) {
                pooled[c][d] *= inverse;
            }
            if (normalize) {
                BertEncoder.l2Normalize(pooled[c]);
            }
        }
        return pooled;
    }

    /** Each vector's cluster, 0..k-1, numbered in the order of each cluster's first vector. */
    static int[] clusters(float[][] vectors, int k) {
        int n = vectors.length;
        float[] distances = cosineDistances(vectors);
        int[] size = new int[n];
        Arrays.fill(size, 1);
        boolean[] active = new boolean[n];
        Arrays.fill(active, true);
        int[] chain = new int[n];
        int chainLength = 0;
        int[] mergedA = new int[n - 1], mergedB = new int[n - 1];
        float[] cost = new float[n - 1];
        for (int merges = 0; merges < n - 1; ) {
            if (chainLength == 0) {
                chain[chainLength++] = firstActive(active);
            }
            int a = chain[chainLength - 1];
            int previous = chainLength > 1 ? chain[chainLength - 2] : -1;
            // a's nearest active cluster; on a tie the previous link of the chain wins (so the chain ends), then the lower index
            int nearest = previous;
            float best = previous >= 0 ? distances[index(a, previous, n)] : Float.POSITIVE_INFINITY;
            for (int c = 0; c < n; c++) {
                if (c != a && active[c]) {
                    float d = distances[index(a, c, n)];
                    if (d < best) {
                        best = d;
                        nearest = c;
                    }
                }
            }
            if (nearest != previous) {
                chain[chainLength++] = nearest;
                continue;
            }
            chainLength -= 2; // a and previous are each other's nearest: merge them into the lower index
            int keep = Math.min(a, previous), gone = Math.max(a, previous);
            mergedA[merges] = keep;
            mergedB[merges] = gone;
            cost[merges] = best;
            merges++;
            int sizeKeep = size[keep], sizeGone = size[gone];
            active[gone] = false;
            for (int c = 0; c < n; c++) {
                if (active[c] && c != keep) {
                    int ck = index(c, keep, n);
                    float updated = ((sizeKeep + size[c]) * distances[ck] + (sizeGone + size[c]) * distances[index(c, gone, n)]
                        - size[c] * best) / (sizeKeep + sizeGone + size[c]);
                    distances[ck] = updated;
                }
            }
            size[keep] = sizeKeep + sizeGone;
        }
        // the n - k cheapest merges; a stable sort keeps each merge after the merges that built its two clusters
        Integer[] order = new Integer[n - 1];
        for (int m = 0; m < n - 1; m++) {
            order[m] = m;
        }
        Arrays.sort(order, (x, y) -> Float.compare(cost[x], cost[y]));
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        for (int m = 0; m < n - k; m++) {
            int x = root(parent, mergedA[order[m]]), y = root(parent, mergedB[order[m]]);
            parent[Math.max(x, y)] = Math.min(x, y);
        }
        int[] label = new int[n];
        int[] labelOfRoot = new int[n];
        Arrays.fill(labelOfRoot, -1);
        int next = 0;
        for (int i = 0; i < n; i++) {
            int r = root(parent, i);
            if (labelOfRoot[r] < 0) {
                labelOfRoot[r] = next++;
            }
            label[i] = labelOfRoot[r];
        }
        return label;
    }

    /** {@code 1 - cos} of every pair, in the upper triangle; a zero vector is at distance 1 from everything. */
    private static float[] cosineDistances(float[][] vectors) {
        int n = vectors.length;
        float[][] unit = new float[n][];
        for (int i = 0; i < n; i++) {
            unit[i] = BertEncoder.l2Normalize(vectors[i].clone());
        }
        float[] distances = new float[n * (n - 1) / 2];
        for (int i = 0; i < n; i++) {
            float[] u = unit[i];
            for (int j = i + 1; j < n; j++) {
                float[] v = unit[j];
                float dot = 0;
                for (int d = 0; d < u.length; d++) {
                    dot += u[d] * v[d];
                }
                distances[index(i, j, n)] = Math.max(0f, 1f - dot);
            }
        }
        return distances;
    }

    /** Position of the pair (i, j), i != j, in the upper triangle stored row by row. */
    private static int index(int i, int j, int n) {
        if (i > j) {
            int t = i;
            i = j;
            j = t;
        }
        return i * n - i * (i + 1) / 2 + (j - i - 1);
    }

    private static int firstActive(boolean[] active) {
        for (int i = 0; i < active.length; i++) {
            if (active[i]) {
                return i;
            }
        }
        throw new IllegalStateException("no active cluster");
    }

    private static int root(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }
}
