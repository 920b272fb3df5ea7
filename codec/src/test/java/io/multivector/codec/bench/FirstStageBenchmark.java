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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * First-stage (candidate) MaxSim search against exact MaxSim on the same Lucene index, one thread: recall@10 of the
 * exact top 10, latency as a fraction of the exact scan's, index bytes and build time per document, and a filtered
 * search at 1% selectivity. Run by benchmarks/first-stage.sh; options:
 * <pre>
 *   --docs 10000,100000     index sizes
 *   --fde 4/16/10,3/16/8    encodings, k_sim/d_proj/repetitions
 *   --graph int8|float      precision of the encodings' HNSW graph
 *   --field float,bit       precisions of the multi-vector field (exact MaxSim and the encodings use what it stores)
 *   --candidates 100,1000   num_candidates values
 *   --text DOCS QUERIES     real text: token matrices written by EncodeTokenCorpus (default: synthetic clusters)
 *   --plot FILE.png         recall@10 against latency, one line per row group
 * </pre>
 */
public final class FirstStageBenchmark {

    static final int QUERIES = 50, K = 10;

    public static void main(String[] args) throws Exception {
        Map<String, List<String>> options = options(args);
        int[] sizes = ints(options.getOrDefault("docs", List.of("10000")).get(0));
        String[] configs = options.getOrDefault("fde", List.of("4/16/10")).get(0).split(",");
        String graph = options.getOrDefault("graph", List.of("int8")).get(0);
        String[] fields = options.getOrDefault("field", List.of("float")).get(0).split(",");
        int[] candidates = ints(options.getOrDefault("candidates", List.of("100,200,500,1000")).get(0));
        List<String> text = options.get("text");
        TokenCorpus corpus = text == null ? new TokenCorpus.Synthetic(QUERIES) : new TokenCorpus.Encoded(Path.of(text.get(0)), Path.of(text.get(1)));
        System.out.printf(Locale.ROOT, "machine: %s%nflags: %s%n", MaxSimBenchmark.cpuModel(), MaxSimBenchmark.vectorFlags());
        System.out.printf(Locale.ROOT, "%s: up to %d documents, %d dims, %d queries, k=%d, graph %s, one thread%n", corpus.name(),
            sizes[sizes.length - 1], corpus.dims(), QUERIES, K, graph);
        System.out.println("| data | docs | field | FDE k_sim/d_proj/R (dims) | num_candidates | recall@10 | p50 ms | p99 ms | p50 vs exact |"
            + " exact p50 ms | FDE bytes/doc | build ms/doc |");
        System.out.println("|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        RecallPlot plot = new RecallPlot();
        for (int size : sizes) {
            for (String field : fields) {
                for (String config : configs) {
                    int[] p = ints(config.replace('/', ','));
                    FixedDimensionalEncoding fde = new FixedDimensionalEncoding(corpus.dims(), p[0], p[1], p[2], 42);
                    run(corpus, size, ElementType.valueOf(field.toUpperCase(Locale.ROOT)), fde, config, graph, candidates, plot);
                }
            }
        }
        if (options.containsKey("plot")) {
            plot.write(Path.of(options.get("plot").get(0)), "First-stage MaxSim (" + corpus.name() + "): recall@10 of exact vs latency");
            System.out.println("plot: " + options.get("plot").get(0));
        }
    }

    static void run(TokenCorpus corpus, int numDocs, ElementType field, FixedDimensionalEncoding fde, String config, String graph,
                    int[] numCandidates, RecallPlot plot) throws Exception {
        int dims = corpus.dims();
        Path path = Files.createTempDirectory("first-stage-bench");
        long start = System.nanoTime();
        try (Directory dir = FSDirectory.open(path)) {
            TieredMergePolicy merges = new TieredMergePolicy();
            merges.setNoCFSRatio(0); // separate files, so the encodings' bytes can be counted
            IndexWriterConfig writerConfig = new IndexWriterConfig().setRAMBufferSizeMB(512).setUseCompoundFile(false).setMergePolicy(merges)
                .setCodec(new MultiVectorCodec(new Lucene104Codec(), "t"::equals,
                    f -> CandidateField.isCandidateField(f) ? DenseVectorFormats.forField("dot_product", graph, 16, 100) : null));
            try (IndexWriter writer = new IndexWriter(dir, writerConfig)) {
                int[] next = { 0 };
                corpus.forEachDocument(numDocs, doc -> {
                    MultiVectorField vectors = new MultiVectorField("t", doc, dims, field, TokenSimilarity.DOT_PRODUCT);
                    Document document = new Document();
                    document.add(new StringField("filter", Integer.toString(next[0]++ % 100), Field.Store.NO));
                    document.add(vectors);
                    // encoded from the vectors as stored, as the field mapper does, so they approximate the MaxSim that ranks
                    document.add(CandidateField.create("t", fde, field.decode(vectors.binaryValue(), dims)));
                    try {
                        writer.addDocument(document);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                writer.forceMerge(1);
            }
            double buildMsPerDoc = (System.nanoTime() - start) / 1e6 / numDocs;
            long fdeBytes = 0;
            for (String file : dir.listAll()) {
                if (file.matches(".*\\.(vec|vex|vem|veq|vemq|vemf|veb|vemb)$")) {
                    fdeBytes += dir.fileLength(file);
                }
            }
            float[][][] queries = corpus.queries();
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                IndexSearcher searcher = new IndexSearcher(reader);
                searcher.setQueryCache(null);
                TopDocs[] exact = new TopDocs[QUERIES];
                double exactP50 = percentile(time(searcher, q -> new TopKQuery(exactQuery(queries[q], dims, field, null), K), exact), 50);
                String label = String.format(Locale.ROOT, "%s (%d)", config, fde.dimensions());
                String prefix = String.format(Locale.ROOT, "| %s | %d | %s | %s", corpus.name(), numDocs, field.name().toLowerCase(Locale.ROOT), label);
                String series = String.format(Locale.ROOT, "%s %dk %s %s", corpus.name(), numDocs / 1000, field.name().toLowerCase(Locale.ROOT), label);
                for (int candidates : numCandidates) {
                    TopDocs[] approx = new TopDocs[QUERIES];
                    double[] ms = time(searcher, q -> candidateQuery(queries[q], dims, field, fde, candidates, null), approx);
                    double recall = recall(exact, approx), fraction = percentile(ms, 50) / exactP50;
                    System.out.printf(Locale.ROOT, "%s | %d | %.3f | %.2f | %.2f | %.3f | %.1f | %d | %.2f |%n", prefix, candidates, recall,
                        percentile(ms, 50), percentile(ms, 99), fraction, exactP50, fdeBytes / numDocs, buildMsPerDoc);
                    plot.add(series, fraction, recall, candidates);
                }
                Query onePercent = new TermQuery(new Term("filter", "3"));
                TopDocs[] exactFiltered = new TopDocs[QUERIES], approxFiltered = new TopDocs[QUERIES];
                time(searcher, q -> new TopKQuery(exactQuery(queries[q], dims, field, onePercent), K), exactFiltered);
                int filtered = numCandidates[Math.min(1, numCandidates.length - 1)];
                double[] ms = time(searcher, q -> candidateQuery(queries[q], dims, field, fde, filtered, onePercent), approxFiltered);
                int fewest = Arrays.stream(approxFiltered).mapToInt(t -> t.scoreDocs.length).min().orElse(0);
                System.out.printf(Locale.ROOT, "%s, filter 1%% | %d | %.3f | %.2f | %.2f | | | fewest hits: %d of %d | |%n", prefix,
                    filtered, recall(exactFiltered, approxFiltered), percentile(ms, 50), percentile(ms, 99), fewest, K);
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

    static Query exactQuery(float[][] query, int dims, ElementType field, Query filter) {
        return new MaxSimQuery("t", dims, field, TokenSimilarity.DOT_PRODUCT, query, filter);
    }

    static Query candidateQuery(float[][] query, int dims, ElementType field, FixedDimensionalEncoding fde, int candidates, Query filter) {
        return new CandidateMaxSimQuery("t", dims, field, TokenSimilarity.DOT_PRODUCT, query, fde, K, candidates, filter);
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

    private static int[] ints(String csv) {
        return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    /** {@code --name value...}: each option's values up to the next option. */
    private static Map<String, List<String>> options(String[] args) {
        Map<String, List<String>> options = new HashMap<>();
        List<String> current = null;
        for (String arg : args) {
            if (arg.startsWith("--")) {
                current = new ArrayList<>();
                options.put(arg.substring(2), current);
            } else if (current == null) {
                throw new IllegalArgumentException("expected an option (--docs, --fde, --graph, --field, --candidates, --text, --plot), got " + arg);
            } else {
                current.add(arg);
            }
        }
        return options;
    }
}
