package io.multivector.analysis.encoder;

import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import io.multivector.analysis.ModelRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * The built-in {@code bge-small}: BGE's query instruction goes to the network for queries only, and its vectors (CLS
 * pooled, normalized) are those of an independent implementation of the same ONNX export (langchain4j, which pools this
 * artifact with {@code PoolingMode.CLS}), for documents as they are and for queries with the instruction before them.
 */
public class BgeSmallTest {

    private static ModelRegistry registry;
    private static BertEncoder bge;

    @BeforeClass
    public static void load() {
        registry = new ModelRegistry(1);
        bge = (BertEncoder) registry.get(ModelRegistry.BGE_SMALL);
    }

    @AfterClass
    public static void close() throws Exception {
        registry.close();
    }

    private static final List<String> TEXTS = List.of(
        "send signal to a process group",
        "The kill() system call can be used to send any signal to any process group or process.",
        "Café crème brûlée, naïve façade: accents are stripped by BERT's normalizer!",
        "OpenSearch 3.6.0 (Lucene 10.4.0) — with multi-vector fields?",
        String.join(" ", java.util.Collections.nCopies(60, "a longer text repeats itself")));

    /** Ids looked up in the tokenizer.json's vocabulary directly (every word here is one token of it), not by our tokenizer. */
    private static long[] vocabularyIds(String... tokens) throws Exception {
        try (InputStream in = BgeSmallTest.class.getResourceAsStream("/io/multivector/analysis/models/bge-small/bge-small-en-v1.5-q-tokenizer.json")) {
            JsonNode vocab = new ObjectMapper().readTree(in).path("model").path("vocab");
            return Arrays.stream(tokens).mapToLong(t -> {
                assertTrue(t, vocab.has(t));
                return vocab.get(t).asLong();
            }).toArray();
        }
    }

    @Test
    public void theQueryInstructionReachesTheNetworkForQueriesOnly() throws Exception {
        String text = "Send signal to a process group";
        long[] query = vocabularyIds("[CLS]", "represent", "this", "sentence", "for", "searching", "relevant", "passages", ":", "send", "signal",
            "to", "a", "process", "group", "[SEP]");
        assertArrayEquals(query, bge.inputIds(text, true).ids());
        assertArrayEquals(vocabularyIds("[CLS]", "send", "signal", "to", "a", "process", "group", "[SEP]"), bge.inputIds(text, false).ids());
    }

    @Test
    public void vectorsAreThoseOfLangchain4jWithTheInstructionOnQueries() {
        BgeSmallEnV15QuantizedEmbeddingModel reference = new BgeSmallEnV15QuantizedEmbeddingModel();
        List<float[][]> documents = bge.encode(TEXTS, false);
        List<float[][]> queries = bge.encode(TEXTS, true);
        for (int i = 0; i < TEXTS.size(); i++) {
            float[] asDocument = reference.embed(TEXTS.get(i)).content().vector();
            float[] asQuery = reference.embed(ModelRegistry.BGE_QUERY_INSTRUCTION + TEXTS.get(i)).content().vector();
            assertEquals(384, documents.get(i)[0].length);
            assertCosineAtLeast(0.999, asDocument, documents.get(i)[0], TEXTS.get(i));
            assertCosineAtLeast(0.999, asQuery, queries.get(i)[0], "query " + TEXTS.get(i));
            assertEquals(1.0, Math.sqrt(dot(documents.get(i)[0], documents.get(i)[0])), 1e-5);
            // the instruction changes the vector: were it on both sides or neither, these would be equal
            assertTrue(cosine(documents.get(i)[0], queries.get(i)[0]) < 0.99);
        }
    }

    @Test
    public void aTextsVectorDoesNotDependOnItsBatch() {
        // two texts of the same token length: were they run together, the quantized model would scale both by one factor
        String text = "one two three four", other = "five six seven eight";
        assertEquals(bge.inputIds(text, false).length(), bge.inputIds(other, false).length());
        float[] alone = bge.encode(List.of(text), false).get(0)[0];
        float[] batched = bge.encode(List.of(other, text), false).get(1)[0];
        assertArrayEquals(alone, batched, 0f);
    }

    @Test
    public void effectiveSettingsAreShown() {
        Map<String, Object> shown = registry.infos().get(ModelRegistry.BGE_SMALL).encoding();
        assertEquals(512, shown.get("max_tokens"));
        assertEquals(ModelRegistry.BGE_QUERY_INSTRUCTION, shown.get("query_prefix"));
        assertEquals("", shown.get("document_prefix"));
        assertEquals("cls", shown.get("pooling"));
        assertEquals(true, shown.get("normalize"));
        assertEquals(ModelKind.TEXT_DENSE, registry.infos().get(ModelRegistry.BGE_SMALL).kind());
    }

    private static void assertCosineAtLeast(double min, float[] expected, float[] actual, String what) {
        double cosine = cosine(expected, actual);
        assertTrue("cosine " + cosine + " for [" + what + "]", cosine >= min);
    }

    private static double cosine(float[] a, float[] b) {
        return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
