package io.multivector.analysis;

import io.multivector.analysis.ModelRegistryTest.BundledFiles;
import io.multivector.analysis.onnx.TestModels;
import org.junit.Test;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

/**
 * {@code projection_file}: the bundled MiniLM registered with a 384 x 8 matrix gives, for every token, the unprojected
 * (raw) vector of the same model times the matrix, then normalized, computed here in plain Java.
 */
public class ProjectionTest {

    private static final String MODEL = "minilm/all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER = "minilm/all-minilm-l6-v2-q-tokenizer.json";
    private static final float[][] MATRIX = TestModels.projection(384, 8, 7);

    /** The bundled MiniLM files, and projection files this test writes. */
    private static final class FilesWithProjections implements ModelSource {
        final Map<String, ModelDefinition> definitions = new HashMap<>();
        final Map<String, byte[]> written = new HashMap<>();
        final BundledFiles bundled = new BundledFiles();

        @Override
        public Map<String, ModelDefinition> definitions() {
            return Map.copyOf(definitions);
        }

        @Override
        public byte[] read(String relativePath) throws IOException {
            byte[] file = written.get(relativePath);
            return file != null ? file : bundled.read(relativePath);
        }
    }

    private static Map<String, Object> body(String kind, int dims, boolean normalize, String projectionFile) {
        Map<String, Object> body = new HashMap<>(Map.of("kind", kind, "model_file", MODEL, "tokenizer_file", TOKENIZER, "dims", dims,
            "normalize", normalize, "max_tokens", 128));
        if (projectionFile != null) {
            body.put("projection_file", projectionFile);
        }
        return body;
    }

    private static FilesWithProjections files() {
        FilesWithProjections files = new FilesWithProjections();
        files.written.put("colbert/projection.f32", TestModels.projectionFile(MATRIX));
        files.written.put("colbert/odd-size.f32", new byte[8 * 4 * 10 + 4]);
        return files;
    }

    private static float[] projectedAndNormalized(float[] raw) {
        float[] out = new float[MATRIX[0].length];
        for (int i = 0; i < raw.length; i++) {
            for (int j = 0; j < out.length; j++) {
                out[j] += raw[i] * MATRIX[i][j];
            }
        }
        double norm = Math.sqrt(dot(out, out));
        for (int j = 0; j < out.length; j++) {
            out[j] /= (float) norm;
        }
        return out;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    @Test
    public void tokenVectorsAreProjectedThenNormalized() throws Exception {
        FilesWithProjections files = files();
        ModelDefinition raw = ModelDefinition.fromMap("raw", body("text_tokens", 384, false, null));
        ModelDefinition projected = ModelDefinition.fromMap("colbert", body("text_tokens", 8, true, "colbert/projection.f32"));
        try (ModelRegistry registry = new ModelRegistry(1, files)) {
            registry.verify(projected);
            files.definitions.put("raw", raw);
            files.definitions.put("colbert", projected);
            List<String> texts = List.of("ColBERT projects every token vector.", "short");
            for (boolean asQuery : new boolean[] {false, true}) {
                List<float[][]> rawVectors = registry.get("raw").encode(texts, asQuery);
                List<float[][]> ours = registry.get("colbert").encode(texts, asQuery);
                for (int t = 0; t < texts.size(); t++) {
                    assertEquals(rawVectors.get(t).length, ours.get(t).length);
                    for (int r = 0; r < ours.get(t).length; r++) {
                        assertEquals(8, ours.get(t)[r].length);
                        assertArrayEquals(projectedAndNormalized(rawVectors.get(t)[r]), ours.get(t)[r], 1e-5f);
                        assertEquals(1.0, dot(ours.get(t)[r], ours.get(t)[r]), 1e-5);
                    }
                }
            }
            assertEquals(8, registry.infos().get("colbert").dims());
        }
    }

    @Test
    public void denseModelsTakeAProjectionToo() throws Exception {
        FilesWithProjections files = files();
        files.definitions.put("raw", ModelDefinition.fromMap("raw", body("text_dense", 384, false, null)));
        files.definitions.put("dense8", ModelDefinition.fromMap("dense8", body("text_dense", 8, true, "colbert/projection.f32")));
        try (ModelRegistry registry = new ModelRegistry(1, files)) {
            float[] raw = registry.get("raw").encode(List.of("pooled, then projected"), false).get(0)[0];
            float[] ours = registry.get("dense8").encode(List.of("pooled, then projected"), false).get(0)[0];
            assertArrayEquals(projectedAndNormalized(raw), ours, 1e-5f);
        }
    }

    @Test
    public void definitionsKeepTheProjectionFileAndCheckItsPath() {
        ModelDefinition projected = ModelDefinition.fromMap("colbert", body("text_tokens", 8, true, "colbert/projection.f32"));
        assertEquals("colbert/projection.f32", projected.projectionFile());
        assertEquals(projected, ModelDefinition.fromMap("colbert", projected.toMap()));
        for (String path : List.of("../projection.f32", "colbert/../../x", "/etc/passwd", "c:\\x")) {
            IllegalArgumentException e = assertThrows(path, IllegalArgumentException.class,
                () -> ModelDefinition.fromMap("m", body("text_tokens", 8, true, path)));
            assertTrue(e.getMessage(), e.getMessage().contains("[projection_file]"));
        }
        Map<String, Object> image = new HashMap<>(Map.of("kind", "image", "model_file", "clip/vision.onnx", "dims", 8,
            "projection_file", "colbert/projection.f32"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelDefinition.fromMap("m", image));
        assertTrue(e.getMessage(), e.getMessage().contains("[projection_file]") && e.getMessage().contains("[image]"));
    }

    @Test
    public void badProjectionFilesFailTheRegistrationWithTheReason() throws Exception {
        try (ModelRegistry registry = new ModelRegistry(1, files())) {
            // 384 x 8 floats read as rows of 16: 192 rows, not the model's 384
            IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
                () -> registry.verify(ModelDefinition.fromMap("m", body("text_tokens", 16, true, "colbert/projection.f32"))));
            assertTrue(rows.getMessage(), rows.getMessage().contains("[projection_file] has [192] rows")
                && rows.getMessage().contains("outputs [384]"));
            IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> registry.verify(ModelDefinition.fromMap("m", body("text_tokens", 8, true, "colbert/odd-size.f32"))));
            assertTrue(size.getMessage(), size.getMessage().contains("[projection_file] holds [324] bytes"));
            IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> registry.verify(ModelDefinition.fromMap("m", body("text_tokens", 8, true, "colbert/nope.f32"))));
            assertTrue(missing.getMessage(), missing.getMessage().contains("colbert/nope.f32"));
        }
    }
}
