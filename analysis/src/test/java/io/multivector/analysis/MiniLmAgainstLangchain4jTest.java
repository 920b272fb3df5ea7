package io.multivector.analysis;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import io.multivector.analysis.encoder.Encoder;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/** The bundled {@code minilm} gives the vectors of an independent implementation of the same model. */
public class MiniLmAgainstLangchain4jTest {

    private static ModelRegistry registry;

    @BeforeClass
    public static void load() {
        registry = new ModelRegistry(1);
    }

    @AfterClass
    public static void close() throws Exception {
        registry.close();
    }

    static final List<String> TEXTS = List.of(
        "The quick brown fox jumps over the lazy dog.",
        "Late interaction models score every query token against every document token.",
        "Café crème brûlée, naïve façade: accents are stripped by BERT's normalizer!",
        "OpenSearch 3.6.0 (Lucene 10.4.0) — with multi-vector fields?",
        "東京は日本の首都です。",
        "a",
        "Mixed CASE and    lots\tof\nwhitespace",
        "don't split contractions wrongly; e-mail addresses like a.b@c.org, and URLs http://x.y/z",
        String.join(" ", java.util.Collections.nCopies(40, "long text repeats itself")),
        "1234567890 $%&*() numbers and symbols");

    @Test
    public void minilmMatchesLangchain4j() {
        AllMiniLmL6V2QuantizedEmbeddingModel reference = new AllMiniLmL6V2QuantizedEmbeddingModel();
        Encoder ours = registry.get(ModelRegistry.MINILM);
        List<float[][]> vectors = ours.encode(TEXTS, false);
        for (int i = 0; i < TEXTS.size(); i++) {
            float[] expected = reference.embed(TEXTS.get(i)).content().vector();
            float[] actual = vectors.get(i)[0];
            assertEquals(384, actual.length);
            double cosine = cosine(expected, actual);
            assertTrue("cosine " + cosine + " for [" + TEXTS.get(i) + "]", cosine >= 0.999);
        }
    }

    /** Texts of the same length, alone or with others: the same vectors, bit for bit, for both models. */
    @Test
    public void aTextsVectorsDoNotDependOnItsBatch() {
        List<String> sameLength = List.of("a cat near the river", "a dog near the ocean", "the sun over the hills");
        for (String model : List.of(ModelRegistry.MINILM, ModelRegistry.MINILM_TOKENS)) {
            Encoder encoder = registry.get(model);
            float[][] alone = encoder.encode(List.of(sameLength.get(0)), false).get(0);
            float[][] together = encoder.encode(sameLength, false).get(0);
            assertEquals(model, alone.length, together.length);
            for (int t = 0; t < alone.length; t++) {
                assertTrue(model + " vector " + t + " changed with the batch", java.util.Arrays.equals(alone[t], together[t]));
            }
        }
    }

    @Test
    public void tokenModelKeepsWordsForDocumentsAndEveryTokenOfQueries() {
        Encoder tokens = registry.get(ModelRegistry.MINILM_TOKENS);
        long inferences = tokens.stats().inferences(); // the registry is shared with the other tests of this class
        long documents = tokens.stats().documents();
        List<float[][]> docs = tokens.encode(List.of("Hello, world!"), false);
        assertEquals("hello and world; no [CLS], [SEP] or punctuation", 2, docs.get(0).length);
        List<float[][]> queries = tokens.encode(List.of("hello world"), true);
        assertEquals("[CLS] hello world [SEP], not padded with [MASK]", 4, queries.get(0).length);
        for (float[] v : queries.get(0)) {
            assertEquals(384, v.length);
            assertEquals(1.0, Math.sqrt(dot(v, v)), 1e-4);
        }
        assertEquals(inferences + 2, tokens.stats().inferences());
        assertEquals(documents + 2, tokens.stats().documents());
    }

    static double cosine(float[] a, float[] b) {
        return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
