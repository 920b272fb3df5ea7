package io.multivector.codec.bench;

import io.multivector.codec.MultiVectorCodec;
import io.multivector.codec.candidates.CandidateField;
import io.multivector.codec.candidates.CandidateMaxSimQuery;
import io.multivector.codec.candidates.FixedDimensionalEncoding;
import io.multivector.codec.dense.DenseVectorFormats;
import io.multivector.codec.multivector.ElementType;
import io.multivector.codec.multivector.MaxSimQuery;
import io.multivector.codec.multivector.MultiVectorField;
import io.multivector.codec.multivector.TokenSimilarity;
import io.multivector.codec.search.TopKQuery;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * First-stage (candidate) MaxSim search against exact MaxSim on the same Lucene index, one thread: recall@10 of the
 * exact top 10, latency as a fraction of the exact scan's, index bytes and build time per document, and a filtered
 * search at 1% selectivity. Seeded synthetic token vectors: documents of 32 tokens around 1024 topics; each query is
 * 32 noisy tokens of one document. Arguments: doc counts (default 10000), FDE configs as k_sim/d_proj/repetitions.
 */
public final class FirstStageBenchmark {

    static final int DIMS = 128, TOKENS = 32, QUERY_TOKENS = 32, QUERIES = 50, K = 10;
    static final int[] NUM_CANDIDATES = { 100, 200, 500, 1000 };

    public static void main(String[] args) throws Exception {
        int[] sizes = args.length > 0 ? Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray() : new int[] { 10_000 };
        String[] configs = args.length > 1 ? args[1].split(",") : new String[] { "4/16/10" };
        String element = args.length > 2 ? args[2] : "int8";
        System.out.printf(Locale.ROOT, "machine: %s%nflags: %s%n", MaxSimBenchmark.cpuModel(), MaxSimBenchmark.vectorFlags());
        System.out.printf(Locale.ROOT, "%d x %d token vectors of %d dims (float), %d queries of %d vectors, k=%d, graph %s, one thread%n",
            sizes[sizes.length - 1], TOKENS, DIMS, QUERIES, QUERY_TOKENS, K, element);
        System.out.println("| docs | FDE k_sim/d_proj/R (dims) | num_candidates | recall@10 | p50 ms | p99 ms | p50 vs exact | exact p50 ms |"
            + " FDE bytes/doc | build ms/doc |");
        System.out.println("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int size : sizes) {
            for (String config : configs) {
                int[] p = Arrays.stream(config.split("/")).mapToInt(Integer::parseInt).toArray();
                run(size, new FixedDimensionalEncoding(DIMS, p[0], p[1], p[2], 42), config, element);
            }
        }
    }

    static void run(int numDocs, FixedDimensionalEncoding fde, String config, String element) throws Exception {
        Random random = new Random(7);
        float[][] topics = new float[1024][];
        for (int i = 0; i < topics.length; i++) {
            topics[i] = MaxSimBenchmark.unit(MaxSimBenchmark.gaussian(random, DIMS, 1));
        }
        Path path = Files.createTempDirectory("first-stage-bench");
        float[][][] queries = new float[QUERIES][][];
        long start = System.nanoTime();
        try (Directory dir = FSDirectory.open(path)) {
            TieredMergePolicy merges = new TieredMergePolicy();
            merges.setNoCFSRatio(0); // separate files, so the encodings' bytes can be counted
            IndexWriterConfig writerConfig = new IndexWriterConfig().setRAMBufferSizeMB(512).setUseCompoundFile(false).setMergePolicy(merges)
                .setCodec(new MultiVectorCodec(new Lucene104Codec(), "t"::equals,
                    f -> CandidateField.isCandidateField(f) ? DenseVectorFormats.forField("dot_product", element, 16, 100) : null));
            try (IndexWriter writer = new IndexWriter(dir, writerConfig)) {
                for (int d = 0; d < numDocs; d++) {
                    float[][] doc = new float[TOKENS][];
                    int[] docTopics = { random.nextInt(topics.length), random.nextInt(topics.length), random.nextInt(topics.length) };
                    for (int t = 0; t < TOKENS; t++) {
                        doc[t] = MaxSimBenchmark.unit(MaxSimBenchmark.plus(topics[docTopics[random.nextInt(3)]], MaxSimBenchmark.gaussian(random, DIMS, 0.06f)));
                    }
                    if (d % (numDocs / QUERIES) == 0 && d / (numDocs / QUERIES) < QUERIES) {
                        float[][] query = new float[QUERY_TOKENS][];
                        for (int t = 0; t < QUERY_TOKENS; t++) {
                            query[t] = MaxSimBenchmark.unit(MaxSimBenchmark.plus(doc[random.nextInt(TOKENS)], MaxSimBenchmark.gaussian(random, DIMS, 0.08f)));
                        }
                        queries[d / (numDocs / QUERIES)] = query;
                    }
                    Document document = new Document();
                    document.add(new StringField("filter", Integer.toString(d % 100), Field.Store.NO));
                    document.add(new MultiVectorField("t", doc, DIMS, ElementType.FLOAT, TokenSimilarity.DOT_PRODUCT));
                    document.add(CandidateField.create("t", fde, doc));
                    writer.addDocument(document);
                }
                writer.forceMerge(1);
            }
            double buildMsPerDoc = (System.nanoTime() - start) / 1e6 / numDocs;
            long fdeBytes = 0;
            for (String file : dir.listAll()) {
                if (file.matches(".*\\.(vec|vex|vem|veq|vemq|vemf|veb|vemb)$")) {
                    fdeBytes += dir.fileLength(file);
                }
            }
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                IndexSearcher searcher = new IndexSearcher(reader);
                searcher.setQueryCache(null);
                TopDocs[] exact = new TopDocs[QUERIES];
                double[] exactMs = time(searcher, q -> new TopKQuery(exactQuery(queries[q], null), K), exact);
                double exactP50 = percentile(exactMs, 50);
                String label = String.format(Locale.ROOT, "%s (%d)", config, fde.dimensions());
                for (int candidates : NUM_CANDIDATES) {
                    TopDocs[] approx = new TopDocs[QUERIES];
                    double[] ms = time(searcher, q -> candidateQuery(queries[q], fde, candidates, null), approx);
                    System.out.printf(Locale.ROOT, "| %d | %s | %d | %.3f | %.2f | %.2f | %.3f | %.1f | %d | %.2f |%n", numDocs, label,
                        candidates, recall(exact, approx), percentile(ms, 50), percentile(ms, 99), percentile(ms, 50) / exactP50, exactP50,
                        fdeBytes / numDocs, buildMsPerDoc);
                }
                Query onePercent = new TermQuery(new Term("filter", "3"));
                TopDocs[] exactFiltered = new TopDocs[QUERIES], approxFiltered = new TopDocs[QUERIES];
                time(searcher, q -> new TopKQuery(exactQuery(queries[q], onePercent), K), exactFiltered);
                double[] ms = time(searcher, q -> candidateQuery(queries[q], fde, 200, onePercent), approxFiltered);
                int fewest = Arrays.stream(approxFiltered).mapToInt(t -> t.scoreDocs.length).min().orElse(0);
                System.out.printf(Locale.ROOT, "| %d | %s, filter 1%% | 200 | %.3f | %.2f | %.2f | | | fewest hits: %d of %d | |%n", numDocs,
                    label, recall(exactFiltered, approxFiltered), percentile(ms, 50), percentile(ms, 99), fewest, K);
            }
        } finally {
            for (Path file : Files.list(path).toList()) {
                Files.delete(file);
            }
            Files.delete(path);
        }
    }

    interface QueryFor {
        Query get(int query) throws Exception;
    }

    /** One warm-up pass, then a timed one. */
    static double[] time(IndexSearcher searcher, QueryFor queries, TopDocs[] results) throws Exception {
        double[] ms = new double[QUERIES];
        for (int pass = 0; pass < 2; pass++) {
            for (int q = 0; q < QUERIES; q++) {
                long start = System.nanoTime();
                results[q] = searcher.search(queries.get(q), K);
                ms[q] = (System.nanoTime() - start) / 1e6;
            }
        }
        return ms;
    }

    static Query exactQuery(float[][] query, Query filter) {
        return new MaxSimQuery("t", DIMS, ElementType.FLOAT, TokenSimilarity.DOT_PRODUCT, query, filter);
    }

    static Query candidateQuery(float[][] query, FixedDimensionalEncoding fde, int candidates, Query filter) {
        return new CandidateMaxSimQuery("t", DIMS, ElementType.FLOAT, TokenSimilarity.DOT_PRODUCT, query, fde, K, candidates, filter);
    }

    static double recall(TopDocs[] exact, TopDocs[] approx) {
        double sum = 0;
        for (int q = 0; q < exact.length; q++) {
            Set<Integer> truth = new HashSet<>();
            for (ScoreDoc d : exact[q].scoreDocs) {
                truth.add(d.doc);
            }
            sum += Arrays.stream(approx[q].scoreDocs).filter(d -> truth.contains(d.doc)).count() / (double) Math.max(1, truth.size());
        }
        return sum / exact.length;
    }

    static double percentile(double[] values, int p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
