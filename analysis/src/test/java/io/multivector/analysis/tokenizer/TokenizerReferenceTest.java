package io.multivector.analysis.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.BeforeClass;
import org.junit.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * The ids of our tokenizers against an independent implementation of Hugging Face tokenizers (tokenizers.js, run by
 * benchmarks/tokenizer-reference/generate.sh into reference-ids.json), for each family a model can bring: the bundled
 * MiniLM's WordPiece (Java), a CLIP byte-level BPE (Java), an XLM-R style Unigram (Hugging Face's Rust library); the
 * Rust library is checked on the first two as well. The fixture records each tokenizer.json's SHA-256: a changed test
 * file fails here until the fixture is regenerated, so the reference always describes the files tested.
 */
public class TokenizerReferenceTest {

    private static final int NO_LIMIT = 100_000;
    private static JsonNode reference;
    private static List<String> texts;

    @BeforeClass
    public static void readFixture() throws IOException {
        try (InputStream in = TokenizerReferenceTest.class.getResourceAsStream("reference-ids.json")) {
            reference = new ObjectMapper().readTree(in);
        }
        texts = new ArrayList<>();
        reference.path("texts").forEach(t -> texts.add(t.asText()));
        assertTrue("the fixture has texts", texts.size() > 100);
    }

    private static byte[] minilmJson() throws IOException {
        try (InputStream in = TokenizerReferenceTest.class.getResourceAsStream(
            "/io/multivector/analysis/models/minilm/all-minilm-l6-v2-q-tokenizer.json")) {
            return in.readAllBytes();
        }
    }

    /** The reference ids of a tokenizer.json, after checking that the fixture was computed on these very bytes. */
    private static List<long[]> expected(String name, byte[] json) {
        JsonNode entry = reference.path("tokenizers").path(name);
        assertEquals("reference-ids.json was computed on another [" + name + "] tokenizer.json: run benchmarks/tokenizer-reference/generate.sh",
            entry.path("sha256").asText(), sha256(json));
        List<long[]> ids = new ArrayList<>();
        for (JsonNode row : entry.path("ids")) {
            long[] r = new long[row.size()];
            for (int i = 0; i < r.length; i++) {
                r[i] = row.get(i).asLong();
            }
            ids.add(r);
        }
        assertEquals(texts.size(), ids.size());
        return ids;
    }

    private static void assertSameIds(String what, List<long[]> expected, Function<String, long[]> tokenizer) {
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            long[] actual = tokenizer.apply(texts.get(i));
            if (Arrays.equals(expected.get(i), actual) == false) {
                differences.add("[" + texts.get(i) + "]: expected " + Arrays.toString(expected.get(i)) + ", got " + Arrays.toString(actual));
            }
        }
        assertTrue(what + " differs from the reference on " + differences.size() + " of " + texts.size() + " texts:\n"
            + String.join("\n", differences.subList(0, Math.min(5, differences.size()))), differences.isEmpty());
    }

    @Test
    public void wordPieceMatchesTheReference() throws IOException {
        byte[] json = minilmJson();
        List<long[]> expected = expected("minilm", json);
        TextTokenizer ours = TokenizerJson.load(json);
        assertTrue(ours instanceof WordPieceTokenizer);
        assertSameIds("our WordPiece", expected, t -> ours.encode(t, NO_LIMIT).ids());
        try (TextTokenizer huggingFace = TokenizerJson.loadWithHuggingFace(json)) {
            assertSameIds("Hugging Face's WordPiece", expected, t -> huggingFace.encode(t, NO_LIMIT).ids());
        }
    }

    @Test
    public void clipBpeMatchesTheReference() throws IOException {
        String text = TinyClipTokenizerJson.withClipPipeline();
        byte[] json = text.getBytes(StandardCharsets.UTF_8);
        List<long[]> expected = expected("clip", json);
        ClipBpeTokenizer ours = new ClipBpeTokenizer(new ByteArrayInputStream(json), 1000);
        assertSameIds("our CLIP BPE", expected, t -> {
            ClipBpeTokenizer.Tokens tokens = ours.encode(t);
            return Arrays.copyOf(tokens.ids(), tokens.length());
        });
        try (TextTokenizer huggingFace = TokenizerJson.load(json)) {
            assertTrue(huggingFace instanceof HuggingFaceNativeTokenizer);
            assertSameIds("Hugging Face's BPE", expected, t -> huggingFace.encode(t, NO_LIMIT).ids());
        }
    }

    @Test
    public void unigramMatchesTheReference() throws IOException {
        byte[] json = TinyUnigramTokenizerJson.json().getBytes(StandardCharsets.UTF_8);
        List<long[]> expected = expected("unigram", json);
        try (TextTokenizer unigram = TokenizerJson.load(json)) {
            assertSameIds("Unigram", expected, t -> unigram.encode(t, NO_LIMIT).ids());
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
