package io.multivector.codec.multivector;

import org.apache.lucene.util.BytesRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Every MaxSim kernel this CPU runs, on the same documents held in memory (no index): the Java Vector API kernels
 * at the JVM's vector width and each native kernel, as docs/s and against the Java float kernel. What chose the
 * kernel order in NativeMaxSim; run by benchmarks/maxsim-kernels.sh (with --avx2 for what an AVX2 CPU runs).
 */
public final class MaxSimKernelsBenchmark {

    public static void main(String[] args) throws Exception {
        System.out.println(io.multivector.codec.bench.MaxSimBenchmark.machine());
        shape(20_000, 18, 32, 8);
        shape(2_000, 96, 128, 32);
    }

    static void shape(int numDocs, int tokens, int dims, int queryVectors) {
        Random random = new Random(42);
        float[][] query = new float[queryVectors][];
        for (int i = 0; i < queryVectors; i++) {
            query[i] = gaussian(random, dims);
        }
        List<float[][]> docs = new ArrayList<>();
        for (int d = 0; d < numDocs; d++) {
            float[][] matrix = new float[Math.max(1, (int) Math.round(tokens + random.nextGaussian() * tokens / 4.0))][];
            for (int j = 0; j < matrix.length; j++) {
                matrix[j] = gaussian(random, dims);
            }
            docs.add(matrix);
        }
        System.out.printf(Locale.ROOT, "%n%d docs x ~%d tokens x %d dims, %d query vectors: median of %d passes, kernels taking turns%n",
            numDocs, tokens, dims, queryVectors, PASSES);
        List<String> names = new ArrayList<>();
        List<MaxSim.DocScorer> scorers = new ArrayList<>();
        List<BytesRef[]> inputs = new ArrayList<>();
        for (ElementType type : ElementType.values()) {
            BytesRef[] stored = new BytesRef[numDocs];
            for (int d = 0; d < numDocs; d++) {
                stored[d] = new BytesRef(type.encode(docs.get(d), dims));
            }
            List<NativeMaxSim.Kernel> kernels = new ArrayList<>();
            kernels.add(null); // Java
            kernels.addAll(NativeMaxSim.runnable(type == ElementType.INT8 ? NativeMaxSim.INT8_KERNELS
                : type == ElementType.BIT ? NativeMaxSim.BIT_KERNELS : List.of()));
            for (NativeMaxSim.Kernel kernel : kernels) {
                scorers.add(MaxSim.prepare(query, dims, type, TokenSimilarity.DOT_PRODUCT, true, kernel, kernel).newDocScorer());
                inputs.add(stored);
                names.add(String.format(Locale.ROOT, "%-8s %-26s", type.name().toLowerCase(Locale.ROOT), kernel == null
                    ? "java-vector-api-" + (type == ElementType.BIT ? BitMaxSim.SPECIES : FloatMaxSim.SPECIES).vectorBitSize()
                    : kernel.name()));
            }
        }
        // every kernel runs one pass per round, so that the load of a shared machine weighs on all of them alike
        double[][] rates = new double[scorers.size()][PASSES];
        double sink = 0;
        for (int round = -WARMUP; round < PASSES; round++) {
            for (int k = 0; k < scorers.size(); k++) {
                long start = System.nanoTime();
                for (BytesRef doc : inputs.get(k)) {
                    sink += scorers.get(k).maxSim(doc);
                }
                if (round >= 0) {
                    rates[k][round] = numDocs / ((System.nanoTime() - start) / 1e9);
                }
            }
        }
        if (sink == 42.4242) {
            System.out.println(sink);
        }
        double floatRate = median(rates[0]); // the first kernel is Java float
        for (int k = 0; k < scorers.size(); k++) {
            double rate = median(rates[k]);
            System.out.printf(Locale.ROOT, "%s %12.0f docs/s %7.2fx java float%n", names.get(k), rate, rate / floatRate);
        }
    }

    private static final int WARMUP = 3, PASSES = 9;

    static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    static float[] gaussian(Random random, int dims) {
        float[] v = new float[dims];
        for (int i = 0; i < dims; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
