package io.multivector.analysis.bench;

import io.multivector.analysis.ModelRegistry;
import io.multivector.analysis.encoder.Encoder;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Encodes a text file (one text a line) with the built-in token model into a file of token matrices, for the
 * Lucene-level first-stage benchmark (codec cannot depend on the encoders). Format, big-endian: int dims, int count,
 * then per text an int row count and rows x dims float16. Arguments: input, output, {@code query|document}, threads.
 */
public final class EncodeTokenCorpus {

    static final int BATCH = 32;

    public static void main(String[] args) throws Exception {
        Path input = Path.of(args[0]), output = Path.of(args[1]);
        boolean asQuery = args[2].equals("query");
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : Runtime.getRuntime().availableProcessors();
        List<String> texts = Files.readAllLines(input);
        long start = System.nanoTime();
        try (ModelRegistry registry = new ModelRegistry(1);
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(output), 1 << 20))) {
            Encoder encoder = registry.get(ModelRegistry.MINILM_TOKENS);
            out.writeInt(encoder.dims());
            out.writeInt(texts.size());
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<List<float[][]>>> batches = new ArrayList<>();
            for (int i = 0; i < texts.size(); i += BATCH) {
                List<String> batch = texts.subList(i, Math.min(i + BATCH, texts.size()));
                batches.add(pool.submit(() -> encoder.encode(batch, asQuery)));
            }
            long rows = 0;
            for (int b = 0; b < batches.size(); b++) {
                for (float[][] matrix : batches.get(b).get()) {
                    write(out, matrix);
                    rows += matrix.length;
                }
                batches.set(b, null); // written: let it go
                if (b % 200 == 199) {
                    System.err.printf(Locale.ROOT, "%d of %d texts%n", (b + 1) * BATCH, texts.size());
                }
            }
            pool.shutdown();
            System.out.printf(Locale.ROOT, "%d texts, %.1f tokens each, %.1f s%n", texts.size(), rows / (double) texts.size(),
                (System.nanoTime() - start) / 1e9);
        }
    }

    private static void write(DataOutputStream out, float[][] matrix) throws IOException {
        out.writeInt(matrix.length);
        for (float[] row : matrix) {
            for (float v : row) {
                out.writeShort(Float.floatToFloat16(v));
            }
        }
    }
}
