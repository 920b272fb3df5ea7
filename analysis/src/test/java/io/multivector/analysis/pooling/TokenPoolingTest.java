package io.multivector.analysis.pooling;

import org.junit.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

/** Token pooling on generated vectors, checked against a from-scratch greedy Ward clustering. */
public class TokenPoolingTest {

    private static float[][] gaussian(Random random, int n, int dims) {
        float[][] vectors = new float[n][dims];
        for (float[] v : vectors) {
            for (int d = 0; d < dims; d++) {
                v[d] = (float) random.nextGaussian();
            }
        }
        return vectors;
    }

    @Test
    public void poolFactorOneIsTheIdentity() {
        float[][] vectors = gaussian(new Random(1), 9, 8);
        assertSame(vectors, TokenPooling.pool(vectors, 1, true));
        float[][] one = gaussian(new Random(2), 1, 8);
        assertSame(one, TokenPooling.pool(one, 3, false));
    }

    @Test
    public void poolFactorTwoHalvesTheCountRoundingUp() {
        Random random = new Random(3);
        for (int n : new int[] { 2, 3, 7, 8, 31, 128 }) {
            assertEquals(n + " vectors", (n + 1) / 2, TokenPooling.pool(gaussian(random, n, 16), 2, false).length);
            assertEquals(n + " vectors", (n + 2) / 3, TokenPooling.pool(gaussian(random, n, 16), 3, false).length);
        }
    }

    @Test
    public void identicalVectorsMergeFirst() {
        Random random = new Random(4);
        float[][] vectors = gaussian(random, 12, 16);
        vectors[9] = vectors[4].clone();
        int[] clusters = TokenPooling.clusters(vectors, 11);
        assertEquals(clusters[4], clusters[9]);
        assertEquals(11, distinct(clusters));
        // the same with a scaled copy: cosine distance ignores length
        float[][] scaled = gaussian(random, 12, 16);
        for (int d = 0; d < 16; d++) {
            scaled[7][d] = 3 * scaled[2][d];
        }
        int[] scaledClusters = TokenPooling.clusters(scaled, 11);
        assertEquals(scaledClusters[2], scaledClusters[7]);
    }

    @Test
    public void nearDuplicatePairsPoolIntoTheirPairs() {
        Random random = new Random(5);
        float[][] directions = gaussian(random, 10, 32);
        float[][] vectors = new float[20][];
        for (int i = 0; i < 10; i++) { // each direction twice, slightly perturbed, interleaved: 0 1 ... 9 0' 1' ... 9'
            vectors[i] = perturbed(directions[i], random);
            vectors[i + 10] = perturbed(directions[i], random);
        }
        float[][] pooled = TokenPooling.pool(vectors, 2, false);
        assertEquals(10, pooled.length);
        for (int i = 0; i < 10; i++) { // clusters come in the order of their first vector: cluster i is pair i
            for (int d = 0; d < 32; d++) {
                assertEquals((vectors[i][d] + vectors[i + 10][d]) / 2, pooled[i][d], 1e-6f);
            }
        }
        for (float[] row : TokenPooling.pool(vectors, 2, true)) {
            assertEquals(1.0, norm(row), 1e-5);
        }
    }

    @Test
    public void deterministic() {
        float[][] vectors = gaussian(new Random(6), 100, 24);
        float[][] first = TokenPooling.pool(vectors, 3, true);
        float[][] again = TokenPooling.pool(gaussian(new Random(6), 100, 24), 3, true);
        assertEquals(first.length, again.length);
        for (int i = 0; i < first.length; i++) {
            assertArrayEquals(first[i], again[i], 0f);
        }
    }

    @Test
    public void sameClustersAsGreedyWardFromScratch() {
        for (int seed = 10; seed < 20; seed++) {
            Random random = new Random(seed);
            int n = 10 + random.nextInt(40);
            float[][] vectors = gaussian(random, n, 8 + random.nextInt(24));
            for (int k : new int[] { 1, 2, (n + 1) / 2, (n + 2) / 3, n - 1 }) {
                assertEquals("seed " + seed + ", n " + n + ", k " + k, partition(greedyWard(vectors, k)),
                    partition(TokenPooling.clusters(vectors, k)));
            }
        }
    }

    @Test
    public void zeroVectorsAndRepeatsPool() {
        float[][] vectors = { { 0, 0, 0 }, { 1, 0, 0 }, { 1, 0, 0 }, { 0, 0, 0 }, { 0, 1, 0 } };
        float[][] pooled = TokenPooling.pool(vectors, 2, true);
        assertEquals(3, pooled.length);
        for (float[] row : pooled) {
            for (float x : row) {
                assertTrue(Float.isFinite(x));
            }
        }
    }

    @Test
    public void badPoolFactorsAreRefused() {
        float[][] vectors = gaussian(new Random(7), 4, 4);
        for (int bad : new int[] { 0, -1, TokenPooling.MAX_POOL_FACTOR + 1 }) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TokenPooling.pool(vectors, bad, false));
            assertTrue(e.getMessage(), e.getMessage().contains("[pool_factor] must be between 1 and 64"));
        }
    }

    @Test
    public void aLongDocumentPools() {
        float[][] vectors = gaussian(new Random(8), 512, 128);
        assertEquals(256, TokenPooling.pool(vectors, 2, true).length);
        assertEquals(171, TokenPooling.pool(vectors, 3, true).length);
    }

    /**
     * Ward's method as defined: repeatedly merge the two clusters whose merge least increases the within-cluster sum of
     * squares of the unit vectors, |A||B| / (|A|+|B|) * ||mean(A) - mean(B)||^2, recomputed from the members (double).
     */
    private static int[] greedyWard(float[][] vectors, int k) {
        int n = vectors.length;
        List<List<Integer>> clusters = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            clusters.add(new ArrayList<>(List.of(i)));
        }
        double[][] unit = new double[n][];
        for (int i = 0; i < n; i++) {
            double norm = norm(vectors[i]);
            unit[i] = new double[vectors[i].length];
            for (int d = 0; d < unit[i].length; d++) {
                unit[i][d] = vectors[i][d] / norm;
            }
        }
        while (clusters.size() > k) {
            int bestA = -1, bestB = -1;
            double best = Double.POSITIVE_INFINITY;
            for (int a = 0; a < clusters.size(); a++) {
                for (int b = a + 1; b < clusters.size(); b++) {
                    double cost = wardCost(unit, clusters.get(a), clusters.get(b));
                    if (cost < best) {
                        best = cost;
                        bestA = a;
                        bestB = b;
                    }
                }
            }
            clusters.get(bestA).addAll(clusters.remove(bestB));
        }
        int[] labels = new int[n];
        for (int c = 0; c < clusters.size(); c++) {
            for (int i : clusters.get(c)) {
                labels[i] = c;
            }
        }
        return labels;
    }

    private static double wardCost(double[][] unit, List<Integer> a, List<Integer> b) {
        double[] meanA = mean(unit, a), meanB = mean(unit, b);
        double squared = 0;
        for (int d = 0; d < meanA.length; d++) {
            squared += (meanA[d] - meanB[d]) * (meanA[d] - meanB[d]);
        }
        return (double) a.size() * b.size() / (a.size() + b.size()) * squared;
    }

    private static double[] mean(double[][] unit, List<Integer> members) {
        double[] mean = new double[unit[0].length];
        for (int i : members) {
            for (int d = 0; d < mean.length; d++) {
                mean[d] += unit[i][d] / members.size();
            }
        }
        return mean;
    }

    /** Clusters as sets of members, whatever their labels. */
    private static Set<Set<Integer>> partition(int[] labels) {
        List<Set<Integer>> byLabel = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            while (byLabel.size() <= labels[i]) {
                byLabel.add(new HashSet<>());
            }
            byLabel.get(labels[i]).add(i);
        }
        return new HashSet<>(byLabel);
    }

    private static int distinct(int[] labels) {
        Set<Integer> set = new HashSet<>();
        for (int l : labels) {
            set.add(l);
        }
        return set.size();
    }

    private static float[] perturbed(float[] v, Random random) {
        float[] copy = v.clone();
        for (int d = 0; d < copy.length; d++) {
            copy[d] += (float) (0.01 * random.nextGaussian());
        }
        return copy;
    }

    private static double norm(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x * x;
        }
        return Math.sqrt(sum);
    }
}
