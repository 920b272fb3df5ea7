package io.multivector.codec.bench;

import io.multivector.codec.MultiVectorCodec;
import io.multivector.codec.multivector.ElementType;
import io.multivector.codec.multivector.MaxSim;
import io.multivector.codec.multivector.MaxSimQuery;
import io.multivector.codec.multivector.MultiVectorField;
import io.multivector.codec.multivector.TokenSimilarity;
import io.multivector.codec.search.TopKQuery;
import jdk.incubator.vector.FloatVector;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.LateInteractionField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.DoubleValues;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.LateInteractionFloatValuesSource;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * MaxSim scoring speed, one thread, every document of a real (mmap'ed, force-merged) index: Lucene 10.4's
 * LateInteractionFloatValuesSource against the multi-vector format's MaxSimQuery at each precision, in one run
 * on the same data. Run by benchmarks/maxsim-lucene.sh.
 */
public final class MaxSimBenchmark {

    public static void main(String[] args) throws Exception {
        double peak = peakGflops();
        System.out.println(machine());
        System.out.printf(Locale.ROOT, "fp32 peak of one core ~%.0f GFLOP/s (%s)%n", peak, peakBasis());
        Map<String, Double> small = run(50_000, 18, 32, 8, peak);
        Map<String, Double> colbert = run(4_000, 96, 128, 32, peak);
        // the goals, as ratios of this run
        System.out.printf(Locale.ROOT, "%ngoals (%s):%n", mode());
        goal("ColBERT shape: float vs Lucene", colbert.get("float") / colbert.get("lucene"), 3);
        goal("ColBERT shape: int8 vs our float", colbert.get("int8") / colbert.get("float"), 2);
        goal("ColBERT shape: bit vs our float", colbert.get("bit") / colbert.get("float"), 8);
        String slowest = small.keySet().stream().filter(type -> type.equals("lucene") == false)
            .min(java.util.Comparator.comparing(small::get)).orElseThrow();
        goal("small shape: slowest precision (" + slowest + ") vs float", small.get(slowest) / small.get("float"), 1);
    }

    static void goal(String what, double ratio, double target) {
        System.out.printf(Locale.ROOT, "  %-52s %6.2fx  (goal >= %.0fx: %s)%n", what, ratio, target, ratio >= target ? "met" : "NOT met");
    }

    /** The CPU, its vector flags, the vector width the JVM plans with and the MaxSim kernels chosen: every benchmark's header. */
    public static String machine() throws Exception {
        return String.format(Locale.ROOT, "machine: %s%nflags: %s%nmode: %s%nkernels: %s", cpuModel(), vectorFlags(), mode(), MaxSim.kernels());
    }

    static String mode() {
        String useAvx = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(a -> a.startsWith("-XX:UseAVX=")).findFirst().orElse("no -XX:UseAVX");
        return String.format(Locale.ROOT, "JVM vectors %d bits (%s), native kernels capped at %s", FloatVector.SPECIES_PREFERRED.vectorBitSize(),
            useAvx, System.getProperty("multivector.isa", "avx512 (no cap)"));
    }

    static String vectorFlags() throws Exception {
        String cpuinfo = Files.readString(Path.of("/proc/cpuinfo"));
        String flags = cpuinfo.lines().filter(l -> l.startsWith("flags")).findFirst().orElse("");
        return Arrays.stream(flags.split("\\s+"))
            .filter(f -> f.matches("popcnt|avx2|fma|f16c|avx512f|avx512bw|avx512vl|avx512_vnni|avx512_vpopcntdq|avx_vnni|asimd|asimddp|sve"))
            .reduce((a, b) -> a + " " + b).orElse("none");
    }

    /** Docs/s of Lucene ("lucene") and of each of our precisions ("float", ...), printed as a table. */
    static Map<String, Double> run(int numDocs, int tokens, int dims, int queryVectors, double peak) throws Exception {
        Map<String, Double> rates = new java.util.HashMap<>();
        Random random = new Random(42);
        float[][] centers = new float[64][];
        for (int i = 0; i < centers.length; i++) {
            centers[i] = unit(gaussian(random, dims, 1));
        }
        Path path = Files.createTempDirectory("maxsim-bench");
        ElementType[] types = ElementType.values();
        long totalTokens = 0;
        try (Directory dir = FSDirectory.open(path)) {
            IndexWriterConfig config = new IndexWriterConfig()
                .setCodec(new MultiVectorCodec(new Lucene104Codec(), f -> f.startsWith("t_"), f -> null))
                .setRAMBufferSizeMB(256);
            try (IndexWriter writer = new IndexWriter(dir, config)) {
                for (int i = 0; i < numDocs; i++) {
                    int n = Math.max(1, (int) Math.round(tokens + random.nextGaussian() * tokens / 4.0));
                    totalTokens += n;
                    float[][] matrix = new float[n][];
                    for (int j = 0; j < n; j++) {
                        matrix[j] = unit(plus(centers[random.nextInt(centers.length)], gaussian(random, dims, 0.6 / Math.sqrt(dims))));
                    }
                    Document doc = new Document();
                    doc.add(new LateInteractionField("lucene", matrix));
                    for (ElementType type : types) {
                        doc.add(new MultiVectorField("t_" + type, matrix, dims, type, TokenSimilarity.DOT_PRODUCT));
                    }
                    writer.addDocument(doc);
                }
                writer.forceMerge(1);
            }
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                IndexSearcher searcher = new IndexSearcher(reader);
                double avgTokens = (double) totalTokens / numDocs;
                double flopsPerDoc = 2.0 * queryVectors * avgTokens * dims;
                System.out.printf(Locale.ROOT, "%n%d docs x %.1f tokens x %d dims, %d query vectors (%.0f FLOP per doc), all docs scored, median of 7 rounds (scorers taking turns)%n",
                    numDocs, avgTokens, dims, queryVectors, flopsPerDoc);
                System.out.printf(Locale.ROOT, "%-42s %12s %9s %10s %12s %14s%n", "scorer", "docs/s", "GFLOP/s", "% of peak", "vs Lucene", "top10 = float");
                float[][] query = new float[queryVectors][];
                for (int i = 0; i < queryVectors; i++) {
                    query[i] = unit(plus(centers[random.nextInt(centers.length)], gaussian(random, dims, 0.6 / Math.sqrt(dims))));
                }
                // all scorers take turns, so that the load of a shared machine weighs on each alike
                List<Pass> passes = new ArrayList<>();
                passes.add(() -> scoreLucene(searcher, query));
                List<MaxSimQuery> queries = new ArrayList<>();
                for (ElementType type : types) {
                    MaxSimQuery maxSim = new MaxSimQuery("t_" + type, dims, type, TokenSimilarity.DOT_PRODUCT, query, null);
                    queries.add(maxSim);
                    passes.add(() -> scoreOurs(searcher, maxSim));
                }
                double[] rate = docsPerSecond(passes, numDocs);
                double lucene = rate[0];
                rates.put("lucene", lucene);
                print("Lucene LateInteractionFloatValuesSource", lucene, flopsPerDoc, peak, 1.0, "");
                Set<Integer> floatTop = null;
                double floatRate = 0;
                for (int t = 0; t < types.length; t++) {
                    ElementType type = types[t];
                    MaxSimQuery maxSim = queries.get(t);
                    double typeRate = rate[t + 1];
                    Set<Integer> top = new HashSet<>();
                    for (ScoreDoc hit : searcher.search(new TopKQuery(maxSim, 10), 10).scoreDocs) {
                        top.add(hit.doc);
                    }
                    rates.put(type.name().toLowerCase(Locale.ROOT), typeRate);
                    if (type == ElementType.FLOAT) {
                        floatTop = top;
                        floatRate = typeRate;
                    }
                    Set<Integer> common = new HashSet<>(top);
                    common.retainAll(floatTop);
                    String label = String.format(Locale.ROOT, "multivector MaxSimQuery %-7s %4d B/vector", type.name().toLowerCase(Locale.ROOT),
                        type.bytesPerVector(dims));
                    print(label, typeRate, flopsPerDoc, peak, typeRate / lucene,
                        String.format(Locale.ROOT, "%.1f  (%.2fx float)", common.size() / 10.0, typeRate / floatRate));
                }
                System.out.printf(Locale.ROOT, "%-42s %12s   Lucene stores %d B/vector (float32)%n", "", "", 4 * dims);
            }
        } finally {
            try (var files = Files.list(path)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(path);
        }
        return rates;
    }

    interface Pass {
        double run() throws Exception;
    }

    /** Docs/s of each pass: three rounds of warm-up (JIT, page cache), then the median of seven, each round running every pass once. */
    static double[] docsPerSecond(List<Pass> passes, int numDocs) throws Exception {
        double sink = 0;
        double[][] rates = new double[passes.size()][7];
        for (int round = -3; round < 7; round++) {
            for (int p = 0; p < passes.size(); p++) {
                long start = System.nanoTime();
                sink += passes.get(p).run();
                if (round >= 0) {
                    rates[p][round] = numDocs / ((System.nanoTime() - start) / 1e9);
                }
            }
        }
        if (sink == 42.4242) {
            System.out.println(sink);
        }
        double[] medians = new double[passes.size()];
        for (int p = 0; p < passes.size(); p++) {
            Arrays.sort(rates[p]);
            medians[p] = rates[p][3];
        }
        return medians;
    }

    static double scoreLucene(IndexSearcher searcher, float[][] query) throws Exception {
        var source = new LateInteractionFloatValuesSource("lucene", query, VectorSimilarityFunction.DOT_PRODUCT);
        double sum = 0;
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            DoubleValues values = source.getValues(leaf, null);
            for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
                if (values.advanceExact(doc)) {
                    sum += values.doubleValue();
                }
            }
        }
        return sum;
    }

    static double scoreOurs(IndexSearcher searcher, MaxSimQuery query) throws Exception {
        Weight weight = searcher.createWeight(query, ScoreMode.COMPLETE, 1f);
        double sum = 0;
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            Scorer scorer = weight.scorer(leaf);
            DocIdSetIterator it = scorer.iterator();
            while (it.nextDoc() != DocIdSetIterator.NO_MORE_DOCS) {
                sum += scorer.score();
            }
        }
        return sum;
    }

    static void print(String label, double rate, double flopsPerDoc, double peak, double vsLucene, String extra) {
        double gflops = rate * flopsPerDoc / 1e9;
        System.out.printf(Locale.ROOT, "%-42s %12.0f %9.1f %9.1f%% %11.2fx %14s%n", label, rate, gflops, 100 * gflops / peak, vsLucene, extra);
    }

    static double peakGflops() throws Exception {
        return ghz() * fp32Lanes() * 2 /* FMA = 2 FLOP */ * 2 /* FMA units */;
    }

    static String peakBasis() throws Exception {
        return String.format(Locale.ROOT, "%.2f GHz x %d fp32 lanes x 2 FMA units x 2 FLOP", ghz(), fp32Lanes());
    }

    /**
     * FMA lanes per cycle and unit, as the JVM plans vectors (-XX:UseAVX=2 makes an AVX-512 core an AVX2 one):
     * AMD's AVX-512 cores (Zen 4) run a 512-bit FMA as two 256-bit halves.
     */
    static int fp32Lanes() throws Exception {
        String cpuinfo = Files.readString(Path.of("/proc/cpuinfo"));
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        return lanes == 16 && cpuinfo.contains("AuthenticAMD") ? 8 : lanes;
    }

    static double ghz() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("cpu MHz")) {
                return Double.parseDouble(line.split(":")[1].trim()) / 1000;
            }
        }
        return 3.0;
    }

    static String cpuModel() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                return line.split(":")[1].trim();
            }
        }
        return "unknown";
    }

    static float[] gaussian(Random random, int dims, double sigma) {
        float[] v = new float[dims];
        for (int i = 0; i < dims; i++) {
            v[i] = (float) (random.nextGaussian() * sigma);
        }
        return v;
    }

    static float[] plus(float[] a, float[] b) {
        float[] v = Arrays.copyOf(a, a.length);
        for (int i = 0; i < v.length; i++) {
            v[i] += b[i];
        }
        return v;
    }

    static float[] unit(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x * x;
        }
        float inv = (float) (1 / Math.sqrt(sum));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
        return v;
    }
}
