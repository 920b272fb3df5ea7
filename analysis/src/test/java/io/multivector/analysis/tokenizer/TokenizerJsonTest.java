package io.multivector.analysis.tokenizer;

import org.junit.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static io.multivector.analysis.tokenizer.TinyUnigramTokenizerJson.id;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

public class TokenizerJsonTest {

    private static TextTokenizer unigram() throws IOException {
        return TokenizerJson.load(TinyUnigramTokenizerJson.json().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    public void unigramTakesTheBestScoringSegmentationNotTheLongestPiece() throws IOException {
        try (TextTokenizer t = unigram()) {
            // ▁cats is a piece (-8) but ▁cat + s scores -7.5; NFKC folds the fullwidth letters, then lowercase
            long[] expected = { 0, id("\u2581the"), id("\u2581cat"), id("s"), id("\u2581sit"), id("\u2581on"), id("\u2581the"),
                id("\u2581mat"), id("."), 2 };
            assertArrayEquals(expected, t.encode("The cats sit on the mat.", 100).ids());
            assertArrayEquals(expected, t.encode("ＴＨＥ  ＣＡＴＳ sit on the mat.", 100).ids());
        }
    }

    @Test
    public void unigramSpecialTokensAndTruncation() throws IOException {
        try (TextTokenizer t = unigram()) {
            assertEquals(TinyUnigramTokenizerJson.BOS, t.specialTokens().cls());
            assertEquals(TinyUnigramTokenizerJson.EOS, t.specialTokens().sep());
            assertEquals(TinyUnigramTokenizerJson.PAD, t.specialTokens().pad());
            assertEquals(TinyUnigramTokenizerJson.MASK, t.specialTokens().mask());
            assertEquals(Integer.valueOf(id("\u2581cat")), t.tokenId("\u2581cat"));
            assertNull(t.tokenId("dog"));
            // cut to 4: <s>, two pieces, </s>
            assertArrayEquals(new long[] { 0, id("\u2581the"), id("\u2581cat"), 2 }, t.encode("the cats sit", 4).ids());
            Encoding e = t.encode("mat, mat.", 100);
            assertArrayEquals(new long[] { 0, id("\u2581mat"), id(","), id("\u2581mat"), id("."), 2 }, e.ids());
            assertArrayEquals(new boolean[] { false, false, true, false, true, false }, e.punctuation());
        }
    }

    @Test
    public void bertWordPieceRunsInJavaOtherFamiliesInHuggingFacesLibrary() throws IOException {
        String bert = "{\"normalizer\": {\"type\": \"BertNormalizer\"}, \"pre_tokenizer\": {\"type\": \"BertPreTokenizer\"},"
            + " \"model\": {\"type\": \"WordPiece\", \"unk_token\": \"[UNK]\", \"vocab\": {\"[PAD]\": 0, \"[UNK]\": 1, \"[CLS]\": 2,"
            + " \"[SEP]\": 3, \"[MASK]\": 4, \"cat\": 5}}}";
        try (TextTokenizer t = TokenizerJson.load(bert.getBytes(StandardCharsets.UTF_8))) {
            assertTrue(t instanceof WordPieceTokenizer);
        }
        try (TextTokenizer t = unigram()) {
            assertTrue(t instanceof HuggingFaceNativeTokenizer);
        }
    }

    @Test
    public void refusesWhatIsNotATokenizerJsonNamingTheReason() {
        assertEquals("the tokenizer.json model type [SentencePieceBPE] is not supported; supported: [WordPiece, BPE, Unigram, WordLevel]",
            refusal("{\"model\": {\"type\": \"SentencePieceBPE\", \"vocab\": {}}}"));
        assertEquals("the tokenizer.json has no [model] object: is it a Hugging Face tokenizer.json?", refusal("{\"vocab\": {}}"));
        assertTrue(refusal("not json").startsWith("the tokenizer.json is not valid JSON"));
        // a known type with a broken body: the library's own reason, prefixed
        assertTrue(refusal("{\"model\": {\"type\": \"Unigram\", \"vocab\": 5}}"), refusal("{\"model\": {\"type\": \"Unigram\", \"vocab\": 5}}")
            .startsWith("Hugging Face tokenizers cannot load the tokenizer.json: "));
    }

    @Test
    public void theLibraryNeitherTruncatesNorPadsByTheFilesSettings() throws IOException {
        // MiniLM's tokenizer.json truncates to 128 and pads to 128: max_tokens decides here, and batches pad themselves
        byte[] minilm;
        try (var in = TokenizerJsonTest.class.getResourceAsStream("/io/multivector/analysis/models/minilm/all-minilm-l6-v2-q-tokenizer.json")) {
            minilm = in.readAllBytes();
        }
        String words = "cat ".repeat(300);
        try (TextTokenizer java = TokenizerJson.load(minilm); TextTokenizer hf = TokenizerJson.loadWithHuggingFace(minilm)) {
            assertEquals(302, hf.encode(words, 100_000).length());
            assertArrayEquals(java.encode(words, 100_000).ids(), hf.encode(words, 100_000).ids());
            assertEquals(4, hf.encode("a cat", 100_000).length());
            long[] cut = hf.encode(words, 10).ids();
            assertArrayEquals(java.encode(words, 10).ids(), cut);
            assertEquals(hf.specialTokens().sep(), cut[9]);
        }
    }

    @Test
    public void oneLibraryTokenizerServesThreadsAtOnce() throws Exception {
        try (TextTokenizer t = unigram()) {
            String[] texts = { "The cats sit on the mat.", "ﬁ café", "猫 sit on 猫猫 the mat", "mat, mat." };
            long[][] expected = new long[texts.length][];
            for (int i = 0; i < texts.length; i++) {
                expected[i] = t.encode(texts[i], 100).ids();
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int task = 0; task < 8; task++) {
                    results.add(pool.submit(() -> {
                        for (int round = 0; round < 2000; round++) {
                            int i = round % texts.length;
                            if (Arrays.equals(expected[i], t.encode(texts[i], 100).ids()) == false) {
                                return false;
                            }
                        }
                        return true;
                    }));
                }
                for (var result : results) {
                    assertTrue(result.get());
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    public void theNativeLibraryGoesToTheTemporaryDirectoryNotTheHome() throws IOException {
        // a node may write to its temporary directory but not to its user's home (the agent refuses ~/.djl.ai)
        assumeTrue("an operator's choice of directory wins", System.getenv("ENGINE_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null
            && System.getProperty("DJL_CACHE_DIR") == null);
        try (TextTokenizer t = unigram()) {
            assertNull("set only while the library loads", System.getProperty("ENGINE_CACHE_DIR"));
        }
        Path tokenizers = Path.of(System.getProperty("java.io.tmpdir"), ".djl.ai", "tokenizers");
        try (Stream<Path> files = Files.walk(tokenizers)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().equals("libtokenizers.so")));
        }
    }

    @Test
    public void punctuationIgnoresWordStartMarks() {
        assertTrue(HuggingFaceNativeTokenizer.isPunctuation("\u2581,"));
        assertTrue(HuggingFaceNativeTokenizer.isPunctuation("\u0120..."));
        assertFalse(HuggingFaceNativeTokenizer.isPunctuation("\u2581"));
        assertFalse(HuggingFaceNativeTokenizer.isPunctuation("\u2581a,"));
    }

    private static String refusal(String json) {
        return assertThrows(IllegalArgumentException.class, () -> TokenizerJson.load(json.getBytes(StandardCharsets.UTF_8))).getMessage();
    }
}
