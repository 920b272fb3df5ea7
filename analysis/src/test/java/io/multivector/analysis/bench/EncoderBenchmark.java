package io.multivector.analysis.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.multivector.analysis.ModelRegistry;
import io.multivector.analysis.encoder.Encoder;
import io.multivector.analysis.tokenizer.WordPieceTokenizer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Encoder overhead: the bundled minilm through our encoder (tokenizer, batching, pooling, normalization)
 * against a plain onnxruntime loop over the same model and the same batches, already tokenized and padded.
 * Texts are paragraphs of the machine's man pages. Run by benchmarks/encoder.sh.
 */
public final class EncoderBenchmark {

    static final String RESOURCES = "/io/multivector/analysis/models/minilm/";

    public static void main(String[] args) throws Exception {
        int numTexts = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        int batch = 32;
        List<String> texts = manPageParagraphs(numTexts);
        WordPieceTokenizer tokenizer;
        byte[] model;
        try (var tok = EncoderBenchmark.class.getResourceAsStream(RESOURCES + "all-minilm-l6-v2-q-tokenizer.json");
             var onnx = EncoderBenchmark.class.getResourceAsStream(RESOURCES + "all-minilm-l6-v2-q.onnx")) {
            tokenizer = new WordPieceTokenizer(tok);
            model = onnx.readAllBytes();
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(1);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        try (OrtSession session = env.createSession(model, options); ModelRegistry registry = new ModelRegistry(1)) {
            List<List<long[]>> tokenized = new ArrayList<>();
            for (int i = 0; i < texts.size(); i += batch) {
                List<long[]> ids = new ArrayList<>();
                for (String text : texts.subList(i, Math.min(i + batch, texts.size()))) {
                    ids.add(tokenizer.encode(text, 128).ids());
                }
                tokenized.add(ids);
            }
            Encoder ours = registry.get(ModelRegistry.MINILM);
            for (int round = 0; round < 2; round++) { // warm-up
                plainLoop(env, session, tokenized.subList(0, 4));
                for (int i = 0; i < 4 * batch; i += batch) {
                    ours.encode(texts.subList(i, i + batch), false);
                }
            }
            List<List<long[]>> sameLength = new ArrayList<>(); // the runs our encoder makes: one text each (see BertEncoder)
            for (List<long[]> ids : tokenized) {
                ids.forEach(row -> sameLength.add(List.of(row)));
            }
            List<Double> plain = new ArrayList<>(), grouped = new ArrayList<>(), encoder = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                long start = System.nanoTime();
                plainLoop(env, session, tokenized);
                plain.add((System.nanoTime() - start) / 1e9);
                start = System.nanoTime();
                plainLoop(env, session, sameLength);
                grouped.add((System.nanoTime() - start) / 1e9);
                start = System.nanoTime();
                for (int i = 0; i < texts.size(); i += batch) {
                    ours.encode(texts.subList(i, Math.min(i + batch, texts.size())), false);
                }
                encoder.add((System.nanoTime() - start) / 1e9);
            }
            plain.sort(null);
            grouped.sort(null);
            encoder.sort(null);
            double p = plain.get(1), g = grouped.get(1), e = encoder.get(1);
            System.out.printf(Locale.ROOT, "%d man-page paragraphs (avg %.0f chars), batches of %d, minilm, 1 onnxruntime thread, median of 3%n",
                texts.size(), texts.stream().mapToInt(String::length).average().orElse(0), batch);
            System.out.printf(Locale.ROOT, "%-58s %10.1f texts/s%n", "plain onnxruntime loop (pre-tokenized, padded batches)", texts.size() / p);
            System.out.printf(Locale.ROOT, "%-58s %10.1f texts/s%n", "plain onnxruntime loop (pre-tokenized, one text per run)", texts.size() / g);
            System.out.printf(Locale.ROOT, "%-58s %10.1f texts/s%n", "multivector encoder (tokenize + infer + pool + normalize)", texts.size() / e);
            System.out.printf(Locale.ROOT, "encoder overhead: %.2fx the time of the plain loop over the same runs (one text each); "
                + "%.2fx that of padded batches (target <= 1.2x)%n", e / g, e / p);
        }
    }

    static void plainLoop(OrtEnvironment env, OrtSession session, List<List<long[]>> batches) throws Exception {
        for (List<long[]> ids : batches) {
            int length = ids.stream().mapToInt(a -> a.length).max().orElse(0);
            long[] flat = new long[ids.size() * length], mask = new long[ids.size() * length];
            for (int b = 0; b < ids.size(); b++) {
                for (int t = 0; t < ids.get(b).length; t++) {
                    flat[b * length + t] = ids.get(b)[t];
                    mask[b * length + t] = 1;
                }
            }
            long[] shape = { ids.size(), length };
            try (OnnxTensor in = OnnxTensor.createTensor(env, LongBuffer.wrap(flat), shape);
                 OnnxTensor m = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
                 OnnxTensor types = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[flat.length]), shape);
                 OrtSession.Result result = session.run(Map.of("input_ids", in, "attention_mask", m, "token_type_ids", types))) {
                result.get(0);
            }
        }
    }

    /** Paragraphs of text from man pages (troff requests dropped), the first {@code n} of them in file-name order. */
    static List<String> manPageParagraphs(int n) throws Exception {
        List<String> out = new ArrayList<>();
        List<Path> pages;
        try (Stream<Path> files = Files.list(Path.of("/usr/share/man/man1"))) {
            pages = files.filter(f -> f.toString().endsWith(".gz")).sorted().toList();
        }
        for (Path page : pages) {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(page)),
                StandardCharsets.UTF_8))) {
                StringBuilder paragraph = new StringBuilder();
                for (String line; (line = reader.readLine()) != null; ) {
                    if (line.startsWith(".") || line.startsWith("'") || line.isBlank()) {
                        if (paragraph.length() > 80) {
                            out.add(paragraph.length() > 600 ? paragraph.substring(0, 600) : paragraph.toString());
                            if (out.size() == n) {
                                return out;
                            }
                        }
                        paragraph.setLength(0);
                    } else {
                        paragraph.append(line.replaceAll("\\\\f[BIRP]", "").replace("\\-", "-")).append(' ');
                    }
                }
            } catch (Exception e) {
                // a page that is not gzip or not text: skip it
            }
        }
        return out;
    }
}
