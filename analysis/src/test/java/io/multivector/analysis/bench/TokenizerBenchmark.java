package io.multivector.analysis.bench;

import io.multivector.analysis.tokenizer.ClipBpeTokenizer;
import io.multivector.analysis.tokenizer.TextTokenizer;
import io.multivector.analysis.tokenizer.TokenizerJson;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Our Java tokenizers against Hugging Face's tokenizers library (Rust, through DJL) on the same texts: tokens per second
 * on one thread, one text at a time as the encoders call them, and whether the ids agree. Writes each implementation's
 * ids (one JSON array a line) for benchmarks/tokenizers.sh to compare with tokenizers.js. Args: corpus (one text a line),
 * output directory, then name=tokenizer.json for wordpiece, clip and unigram.
 */
public final class TokenizerBenchmark {

    private static final int NO_LIMIT = 100_000;
    private static final int ROUNDS = 7;

    public static void main(String[] args) throws Exception {
        List<String> texts = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
        Path out = Files.createDirectories(Path.of(args[1]));
        byte[] wordPiece = Files.readAllBytes(Path.of(args[2]));
        byte[] clip = Files.readAllBytes(Path.of(args[3]));
        byte[] unigram = Files.readAllBytes(Path.of(args[4]));
        System.out.printf(Locale.ROOT, "%d texts, %d chars; one thread, best of %d rounds%n", texts.size(),
            texts.stream().mapToInt(String::length).sum(), ROUNDS);
        System.out.printf(Locale.ROOT, "%-10s %-26s %12s %10s %s%n", "family", "implementation", "tokens/s", "vs HF", "ids equal to HF's");
        try (TextTokenizer java = TokenizerJson.load(wordPiece); TextTokenizer hf = TokenizerJson.loadWithHuggingFace(wordPiece)) {
            compare("wordpiece", "Java WordPieceTokenizer", t -> java.encode(t, NO_LIMIT).ids(), t -> hf.encode(t, NO_LIMIT).ids(), texts, out);
        }
        ClipBpeTokenizer clipJava = new ClipBpeTokenizer(new ByteArrayInputStream(clip), NO_LIMIT);
        try (TextTokenizer hf = TokenizerJson.load(clip)) {
            compare("clip-bpe", "Java ClipBpeTokenizer", t -> {
                ClipBpeTokenizer.Tokens tokens = clipJava.encode(t);
                return Arrays.copyOf(tokens.ids(), tokens.length());
            }, t -> hf.encode(t, NO_LIMIT).ids(), texts, out);
        }
        try (TextTokenizer hf = TokenizerJson.load(unigram)) {
            compare("unigram", null, null, t -> hf.encode(t, NO_LIMIT).ids(), texts, out);
        }
    }

    /** Times both on the same texts, alternating rounds so that neither gets a warmer machine; prints one row each. */
    private static void compare(String family, String javaName, Function<String, long[]> java, Function<String, long[]> hf, List<String> texts,
                                Path out) throws IOException {
        List<long[]> hfIds = run(hf, texts);
        write(out.resolve(family + "-hf.jsonl"), hfIds);
        double hfBest = 0;
        double javaBest = 0;
        List<long[]> javaIds = java == null ? null : run(java, texts);
        for (int round = 0; round < ROUNDS; round++) {
            hfBest = Math.max(hfBest, tokensPerSecond(hf, texts));
            if (java != null) {
                javaBest = Math.max(javaBest, tokensPerSecond(java, texts));
            }
        }
        System.out.printf(Locale.ROOT, "%-10s %-26s %12.0f %10s %s%n", family, "Hugging Face (DJL 0.38.0)", hfBest, "1.00x", "-");
        if (java != null) {
            write(out.resolve(family + "-java.jsonl"), javaIds);
            int equal = 0;
            for (int i = 0; i < texts.size(); i++) {
                equal += Arrays.equals(javaIds.get(i), hfIds.get(i)) ? 1 : 0;
            }
            System.out.printf(Locale.ROOT, "%-10s %-26s %12.0f %9.2fx %d/%d%n", family, javaName, javaBest, javaBest / hfBest, equal, texts.size());
        }
    }

    private static List<long[]> run(Function<String, long[]> tokenizer, List<String> texts) {
        List<long[]> ids = new ArrayList<>(texts.size());
        for (String text : texts) {
            ids.add(tokenizer.apply(text));
        }
        return ids;
    }

    private static double tokensPerSecond(Function<String, long[]> tokenizer, List<String> texts) {
        long start = System.nanoTime();
        long tokens = 0;
        for (String text : texts) {
            tokens += tokenizer.apply(text).length;
        }
        return tokens / ((System.nanoTime() - start) / 1e9);
    }

    private static void write(Path file, List<long[]> ids) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            for (long[] row : ids) {
                w.println(Arrays.toString(row).replace(" ", ""));
            }
        }
    }
}
