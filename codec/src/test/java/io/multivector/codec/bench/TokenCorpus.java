package io.multivector.codec.bench;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.Consumer;

/** Where the first-stage benchmark's token matrices come from: seeded synthetic clusters, or real text encoded to a file. */
interface TokenCorpus {

    String name();

    int dims();

    /** The first {@code count} documents, in order. */
    void forEachDocument(int count, Consumer<float[][]> consumer) throws IOException;

    /** The queries, valid after {@link #forEachDocument} (synthetic queries are drawn from the documents). */
    float[][][] queries();

    /**
     * 32 tokens of 128 dims per document around 1024 topics (three per document); each query is 32 noisy tokens of
     * one document, spread evenly over the index.
     */
    final class Synthetic implements TokenCorpus {
        static final int DIMS = 128, TOKENS = 32;
        private final int numQueries;
        private float[][][] queries;

        Synthetic(int numQueries) {
            this.numQueries = numQueries;
        }

        @Override
        public String name() {
            return "synthetic";
        }

        @Override
        public int dims() {
            return DIMS;
        }

        @Override
        public void forEachDocument(int count, Consumer<float[][]> consumer) {
            Random random = new Random(7);
            float[][] topics = new float[1024][];
            for (int i = 0; i < topics.length; i++) {
                topics[i] = MaxSimBenchmark.unit(MaxSimBenchmark.gaussian(random, DIMS, 1));
            }
            queries = new float[numQueries][][];
            int every = count / numQueries;
            for (int d = 0; d < count; d++) {
                float[][] doc = new float[TOKENS][];
                int[] docTopics = { random.nextInt(topics.length), random.nextInt(topics.length), random.nextInt(topics.length) };
                for (int t = 0; t < TOKENS; t++) {
                    doc[t] = MaxSimBenchmark.unit(MaxSimBenchmark.plus(topics[docTopics[random.nextInt(3)]], MaxSimBenchmark.gaussian(random, DIMS, 0.06f)));
                }
                if (d % every == 0 && d / every < numQueries) {
                    float[][] query = new float[TOKENS][];
                    for (int t = 0; t < TOKENS; t++) {
                        query[t] = MaxSimBenchmark.unit(MaxSimBenchmark.plus(doc[random.nextInt(TOKENS)], MaxSimBenchmark.gaussian(random, DIMS, 0.08f)));
                    }
                    queries[d / every] = query;
                }
                consumer.accept(doc);
            }
        }

        @Override
        public float[][][] queries() {
            return queries;
        }
    }

    /**
     * Token matrices written by the analysis module's EncodeTokenCorpus (benchmarks/first-stage.sh --text): a
     * documents file and a queries file, each big-endian int dims, int count, then per text int rows and
     * rows x dims float16.
     */
    final class Encoded implements TokenCorpus {
        private final Path documents;
        private final float[][][] queries;
        private final int dims;

        Encoded(Path documents, Path queries) throws IOException {
            this.documents = documents;
            try (DataInputStream in = open(documents)) {
                this.dims = in.readInt();
            }
            try (DataInputStream in = open(queries)) {
                int queryDims = in.readInt();
                if (queryDims != dims) {
                    throw new IllegalArgumentException("documents have " + dims + " dims, queries " + queryDims);
                }
                this.queries = new float[in.readInt()][][];
                for (int q = 0; q < this.queries.length; q++) {
                    this.queries[q] = matrix(in, dims);
                }
            }
        }

        @Override
        public String name() {
            return "man pages";
        }

        @Override
        public int dims() {
            return dims;
        }

        @Override
        public void forEachDocument(int count, Consumer<float[][]> consumer) throws IOException {
            try (DataInputStream in = open(documents)) {
                in.readInt();
                int available = in.readInt();
                if (count > available) {
                    throw new IllegalArgumentException(documents + " holds " + available + " documents, not " + count);
                }
                for (int d = 0; d < count; d++) {
                    consumer.accept(matrix(in, dims));
                }
            }
        }

        @Override
        public float[][][] queries() {
            return queries;
        }

        private static DataInputStream open(Path path) throws IOException {
            return new DataInputStream(new BufferedInputStream(Files.newInputStream(path), 1 << 20));
        }

        private static float[][] matrix(DataInputStream in, int dims) throws IOException {
            float[][] rows = new float[in.readInt()][dims];
            for (float[] row : rows) {
                for (int c = 0; c < dims; c++) {
                    row[c] = Float.float16ToFloat(in.readShort());
                }
            }
            return rows;
        }
    }
}
