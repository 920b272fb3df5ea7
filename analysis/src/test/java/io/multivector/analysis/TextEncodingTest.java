package io.multivector.analysis;

import io.multivector.analysis.encoder.TextEncoding;
import io.multivector.analysis.onnx.TestModels;
import org.junit.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

/**
 * Prefixes, markers and query augmentation reach the network exactly as configured, for queries and documents: the
 * model under test ({@link TestModels#oneHotBert}) gives each input id back as a one-hot vector, so a token model's
 * vectors spell the ids it got, and a mean-pooled dense model the count of each id.
 */
public class TextEncodingTest {

    private static final int V = TestModels.TINY_VOCAB.size();
    private static final int CLS = 2, SEP = 3, MASK = 4, Q = 5, D = 6, QUERY = 7, PASSAGE = 8, COLON = 9, CATS = 10, SIT = 11, ON = 12,
        THE = 13, MATS = 14, DOT = 15;

    /** The one-hot model and the tiny tokenizer, as files of config/multivector. */
    private static final class TinyFiles implements ModelSource {
        final Map<String, ModelDefinition> definitions = new HashMap<>();

        @Override
        public Map<String, ModelDefinition> definitions() {
            return Map.copyOf(definitions);
        }

        @Override
        public byte[] read(String relativePath) throws IOException {
            return switch (relativePath) {
                case "tiny/model.onnx" -> TestModels.oneHotBert(V);
                case "tiny/tokenizer.json" -> TestModels.tinyWordPieceJson().getBytes(StandardCharsets.UTF_8);
                default -> throw new IOException("no file [" + relativePath + "]");
            };
        }
    }

    private static Map<String, Object> body(String kind, Object... settings) {
        Map<String, Object> body = new HashMap<>(Map.of("kind", kind, "model_file", "tiny/model.onnx", "tokenizer_file",
            "tiny/tokenizer.json", "dims", V, "normalize", false, "max_tokens", 16));
        for (int i = 0; i < settings.length; i += 2) {
            body.put((String) settings[i], settings[i + 1]);
        }
        return body;
    }

    /** Registers the model and encodes one text with it. */
    private static float[][] encode(Map<String, Object> body, String text, boolean asQuery) throws Exception {
        TinyFiles files = new TinyFiles();
        ModelDefinition definition = ModelDefinition.fromMap("m", body);
        try (ModelRegistry registry = new ModelRegistry(1, files)) {
            registry.verify(definition);
            files.definitions.put("m", definition);
            return registry.get("m").encode(List.of(text), asQuery).get(0);
        }
    }

    /** The ids a token model's one-hot vectors spell; each vector must be exactly one-hot. */
    private static long[] ids(float[][] vectors) {
        long[] ids = new long[vectors.length];
        for (int t = 0; t < vectors.length; t++) {
            int hot = -1;
            for (int i = 0; i < V; i++) {
                if (vectors[t][i] == 1f) {
                    assertEquals("two ones in vector " + t, -1, hot);
                    hot = i;
                } else {
                    assertEquals(0f, vectors[t][i], 0f);
                }
            }
            assertTrue("no one in vector " + t, hot >= 0);
            ids[t] = hot;
        }
        return ids;
    }

    /** A mean-pooled one-hot vector times the input's length: how often each id went in. */
    private static float[] counts(long... ids) {
        float[] counts = new float[V];
        for (long id : ids) {
            counts[(int) id] += 1f / ids.length;
        }
        return counts;
    }

    private static final Object[] COLBERT_LIKE = { "query_augmentation", true, "query_length", 12, "query_marker", "[Q]",
        "document_marker", "[D]", "query_prefix", "query: ", "document_prefix", "passage: " };

    @Test
    public void queriesGetTheirPrefixMarkerAndMaskPaddingExactly() throws Exception {
        float[][] query = encode(body("text_tokens", COLBERT_LIKE), "Cats sit.", true);
        // queries keep every position: [CLS] [Q] query : cats sit . [SEP], then [MASK] up to 12
        assertArrayEquals(new long[] { CLS, Q, QUERY, COLON, CATS, SIT, DOT, SEP, MASK, MASK, MASK, MASK }, ids(query));
    }

    @Test
    public void documentsGetTheirPrefixAndMarkerAndDropTheSpecialTokens() throws Exception {
        Object[] dense = { "query_marker", "[Q]", "document_marker", "[D]", "query_prefix", "query: ", "document_prefix", "passage: " };
        // what went in, counted by a mean-pooled dense model with the same settings
        float[] pooled = encode(body("text_dense", dense), "Cats sit on the mats.", false)[0];
        assertArrayEquals(counts(CLS, D, PASSAGE, COLON, CATS, SIT, ON, THE, MATS, DOT, SEP), pooled, 1e-7f);
        float[] pooledQuery = encode(body("text_dense", dense), "Cats sit on the mats.", true)[0];
        assertArrayEquals(counts(CLS, Q, QUERY, COLON, CATS, SIT, ON, THE, MATS, DOT, SEP), pooledQuery, 1e-7f);
        // and in order, by a token model: [CLS], the marker, punctuation and [SEP] are not kept for documents
        float[][] tokens = encode(body("text_tokens", COLBERT_LIKE), "Cats sit on the mats.", false);
        assertArrayEquals(new long[] { PASSAGE, CATS, SIT, ON, THE, MATS }, ids(tokens));
    }

    @Test
    public void withoutAugmentationQueriesAreNotPadded() throws Exception {
        float[][] query = encode(body("text_tokens", "query_augmentation", false), "cats sit", true);
        assertArrayEquals(new long[] { CLS, CATS, SIT, SEP }, ids(query));
        // a query longer than query_length is not cut to it (only max_tokens cuts), with augmentation too
        float[][] longQuery = encode(body("text_tokens", "query_length", 3), "cats sit on the mats", true);
        assertArrayEquals(new long[] { CLS, CATS, SIT, ON, THE, MATS, SEP }, ids(longQuery));
    }

    @Test
    public void aRegisteredTokenModelPadsQueriesTo32ByDefault() throws Exception {
        Map<String, Object> body = body("text_tokens");
        body.remove("max_tokens");
        ModelDefinition definition = ModelDefinition.fromMap("m", body);
        assertTrue(definition.encoding().queryAugmentation());
        assertEquals(32, definition.encoding().queryLength());
        long[] expected = new long[32];
        java.util.Arrays.fill(expected, MASK);
        expected[0] = CLS;
        expected[1] = CATS;
        expected[2] = SEP;
        assertArrayEquals(expected, ids(encode(body, "cats", true)));
        assertArrayEquals(new long[] { CATS }, ids(encode(body, "cats", false)));
        assertFalse(ModelDefinition.fromMap("m", body("text_dense")).encoding().queryAugmentation());
    }

    @Test
    public void theMarkerCountsAgainstMaxTokens() throws Exception {
        float[][] query = encode(body("text_tokens", "query_augmentation", false, "query_marker", "[Q]", "max_tokens", 5),
            "cats sit on the mats", true);
        assertArrayEquals(new long[] { CLS, Q, CATS, SIT, SEP }, ids(query));
        float[][] document = encode(body("text_tokens", "document_marker", "[D]", "max_tokens", 5), "cats sit on the mats", false);
        assertArrayEquals(new long[] { CATS, SIT }, ids(document));
    }

    @Test
    public void definitionsRoundTripAndRejectWhatCannotWork() throws Exception {
        ModelDefinition colbert = ModelDefinition.fromMap("m", body("text_tokens", COLBERT_LIKE));
        assertEquals(new TextEncoding(true, 12, "query: ", "passage: ", "[Q]", "[D]"), colbert.encoding());
        assertEquals(colbert, ModelDefinition.fromMap("m", colbert.toMap()));
        // a definition stored before these settings existed keeps its behaviour
        Map<String, Object> old = body("text_tokens", "query_length", 8);
        assertEquals(new TextEncoding(true, 8, "", "", null, null), ModelDefinition.fromMap("m", old).encoding());

        List<String> errors = new ArrayList<>();
        for (Map<String, Object> bad : List.of(body("text_dense", "query_augmentation", true), body("text_tokens", "query_prefix", 3),
            body("text_tokens", "query_augmentation", "sometimes"), body("text_tokens", "query_length", 17),
            body("text_tokens", "query_marker", " "), Map.<String, Object>of("kind", "image", "model_file", "v.onnx", "dims", 4,
                "query_prefix", "a photo of "))) {
            errors.add(assertThrows(bad.toString(), IllegalArgumentException.class, () -> ModelDefinition.fromMap("m", bad)).getMessage());
        }
        assertTrue(errors.get(0), errors.get(0).contains("[query_augmentation]") && errors.get(0).contains("text_tokens"));
        assertTrue(errors.get(1), errors.get(1).contains("[query_prefix] must be a string"));
        assertTrue(errors.get(5), errors.get(5).contains("[query_prefix] is only for text_dense and text_tokens"));
        try (ModelRegistry registry = new ModelRegistry(1, new TinyFiles())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> registry.verify(ModelDefinition.fromMap("m", body("text_tokens", "document_marker", "[unused1]"))));
            assertTrue(e.getMessage(), e.getMessage().contains("[document_marker] [[unused1]] is not a token"));
        }
    }

    @Test
    public void theBuiltInTokenModelDoesNotPadQueries() throws Exception {
        try (ModelRegistry registry = new ModelRegistry(1)) {
            // [CLS] baking a cake [SEP]: five vectors, no [MASK]
            assertEquals(5, registry.get(ModelRegistry.MINILM_TOKENS).encode(List.of("baking a cake"), true).get(0).length);
            Map<String, Object> shown = registry.infos().get(ModelRegistry.MINILM_TOKENS).encoding();
            assertEquals(false, shown.get("query_augmentation"));
            assertEquals(128, shown.get("max_tokens"));
            assertEquals("", shown.get("query_prefix"));
            assertTrue(shown.containsKey("query_marker"));
            assertNull(shown.get("query_marker"));
        }
    }
}
