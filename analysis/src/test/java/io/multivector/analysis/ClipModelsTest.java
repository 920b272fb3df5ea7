package io.multivector.analysis;

import io.multivector.analysis.encoder.Encoder;
import io.multivector.analysis.encoder.ModelKind;
import io.multivector.analysis.image.ClipImagePreprocessor;
import io.multivector.analysis.image.TestImages;
import io.multivector.analysis.onnx.TestModels;
import io.multivector.analysis.tokenizer.TinyClipTokenizerJson;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

/**
 * {@code image} and {@code clip_text} models registered from files, as a node serves them: ONNX models written by the
 * test, run for real by onnxruntime, with outputs computed here by hand from the pixels and the token ids.
 */
public class ClipModelsTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static final Map<String, ModelDefinition> DEFINITIONS = new HashMap<>();
    private static ModelRegistry registry;

    /** Files from a folder, as {@code config/multivector}. */
    private record FolderSource(Path dir) implements ModelSource {
        @Override
        public Map<String, ModelDefinition> definitions() {
            return Map.copyOf(DEFINITIONS);
        }

        @Override
        public byte[] read(String relativePath) throws IOException {
            return Files.readAllBytes(dir.resolve(relativePath));
        }
    }

    private static ModelDefinition define(String id, Map<String, Object> body) {
        ModelDefinition definition = ModelDefinition.fromMap(id, new HashMap<>(body));
        registry.verify(definition);
        DEFINITIONS.put(id, definition);
        return definition;
    }

    @BeforeClass
    public static void setUp() throws IOException {
        Path dir = tmp.newFolder("multivector").toPath();
        TestModels.writeYamlModels(dir);
        TestModels.write(dir.resolve("clip-test"), "text-no-mask.onnx", TestModels.text(false));
        TestModels.write(dir.resolve("clip-test"), "text-states.onnx", TestModels.textStates());
        TestModels.write(dir.resolve("clip-test"), "vision-images-input.onnx", TestModels.vision("images"));
        registry = new ModelRegistry(1, new FolderSource(dir));
        define("vision-raw", Map.of("kind", "image", "model_file", "clip-test/vision.onnx", "dims", 4, "normalize", false));
        define("vision", Map.of("kind", "image", "model_file", "clip-test/vision.onnx", "dims", 4));
        for (String model : List.of("text", "text-no-mask", "text-states")) {
            define(model + "-raw", Map.of("kind", "clip_text", "model_file", "clip-test/" + model + ".onnx", "tokenizer_file",
                "clip-test/tokenizer.json", "dims", 4, "normalize", false));
        }
        define("text", Map.of("kind", "clip_text", "model_file", "clip-test/text.onnx", "tokenizer_file", "clip-test/tokenizer.json", "dims", 4));
    }

    @AfterClass
    public static void tearDown() throws Exception {
        registry.close();
    }

    private static float[] image(String model, byte[] image) {
        return registry.get(model).encodeImages(List.of(image)).get(0)[0];
    }

    private static float[] text(String model, String text) {
        return registry.get(model).encode(List.of(text), false).get(0)[0];
    }

    /** The vision model's output computed by hand: per-channel means of the preprocessed pixels, times W. */
    private static float[] expectedImage(float[] chw) {
        float[][] w = TestModels.visionWeights();
        float[] out = new float[4];
        int plane = 224 * 224;
        for (int c = 0; c < 3; c++) {
            double mean = 0;
            for (int i = 0; i < plane; i++) {
                mean += chw[c * plane + i];
            }
            mean /= plane;
            for (int k = 0; k < 4; k++) {
                out[k] += (float) (mean * w[c][k]);
            }
        }
        return out;
    }

    private static double norm(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x * x;
        }
        return Math.sqrt(sum);
    }

    @Test
    public void uniformImageEmbeddingIsTheNormalizedColorTimesTheWeights() {
        float[] got = image("vision-raw", TestImages.encode(TestImages.uniform(300, 200, 200, 100, 50), "png"));
        int[] rgb = {200, 100, 50};
        float[][] w = TestModels.visionWeights();
        for (int k = 0; k < 4; k++) {
            double expected = 0;
            for (int c = 0; c < 3; c++) {
                expected += TestImages.normalized(rgb[c], c) * w[c][k];
            }
            assertEquals(expected, got[k], 1e-4);
        }
    }

    @Test
    public void batchOfImagesKeepsOrderAndNormalizes() {
        byte[][] images = {TestImages.encode(TestImages.noise(320, 240, 7), "png"),
            TestImages.encode(TestImages.uniform(100, 400, 10, 250, 120), "png"), TestImages.encode(TestImages.noise(224, 224, 8), "jpg")};
        ClipImagePreprocessor pre = new ClipImagePreprocessor(224);
        List<float[][]> raw = registry.get("vision-raw").encodeImages(Arrays.asList(images));
        List<float[][]> unit = registry.get("vision").encodeImages(Arrays.asList(images));
        for (int i = 0; i < images.length; i++) {
            float[] expected = expectedImage(pre.pixels(images[i]));
            double expectedNorm = norm(expected);
            for (int k = 0; k < 4; k++) {
                // onnxruntime sums 50,176 floats in float32, this test in double
                assertEquals(expected[k], raw.get(i)[0][k], 1e-4 * Math.max(1, Math.abs(expected[k])));
                assertEquals(expected[k] / expectedNorm, unit.get(i)[0][k], 1e-4);
            }
            assertEquals(1.0, norm(unit.get(i)[0]), 1e-5);
        }
    }

    @Test
    public void brokenImagesAndTextsToImageModelsFailClearly() {
        byte[] good = TestImages.encode(TestImages.noise(64, 64, 3), "png");
        Encoder vision = registry.get("vision");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> vision.encodeImages(List.of(good, "GIF? no".getBytes())));
        assertTrue(e.getMessage(), e.getMessage().startsWith("image [1]: ") && e.getMessage().contains("not a supported format"));
        e = assertThrows(IllegalArgumentException.class, () -> vision.encode(List.of("a cat"), false));
        assertEquals("model [vision] (image) encodes images, not texts", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> registry.get("text").encodeImages(List.of(good)));
        assertEquals("model [text] (clip_text) encodes texts, not images", e.getMessage());
    }

    /** ids of "A cat sat." with the tiny vocab: start, a, cat, s, at, ., end; padded with end (101) to 77. */
    private static final long[] CAT_SAT = {100, 1, 2, 3, 4, 5, 101};

    private static float[] expectedText(int attended) {
        long[] ids = Arrays.copyOf(CAT_SAT, 77);
        Arrays.fill(ids, CAT_SAT.length, 77, 101);
        float[][] w = TestModels.textWeights();
        float[] out = new float[4];
        for (int j = 0; j < attended; j++) {
            for (int k = 0; k < 4; k++) {
                out[k] += ids[j] * w[j][k];
            }
        }
        return out;
    }

    @Test
    public void clipTextEmbeddingIsComputedFromTheTokenIdsAndTheMask() {
        float[] withMask = text("text-raw", "A cat sat.");
        float[] noMask = text("text-no-mask-raw", "A cat sat.");
        float[] unit = text("text", "A cat sat.");
        float[] attended = expectedText(CAT_SAT.length); // the model zeroes ids where attention_mask is 0
        float[] all = expectedText(77);
        assertArrayEquals(attended, withMask, 1e-4f);
        assertArrayEquals(all, noMask, 1e-3f);
        assertTrue("the mask must change the result", Math.abs(all[0] - attended[0]) > 0.1);
        double n = norm(attended);
        for (int k = 0; k < 4; k++) {
            assertEquals(attended[k] / n, unit[k], 1e-5);
        }
    }

    /** A [batch, 77, dims] output is read at the end-of-text token: row 101 of the embedding table. */
    @Test
    public void tokenStatesAreReadAtTheEndOfText() {
        assertArrayEquals(new float[] {1.01f, 2.02f, 3.03f, 4.04f}, text("text-states-raw", "A cat sat."), 1e-5f);
    }

    @Test
    public void clipTextBatchKeepsOrder() {
        List<float[][]> v = registry.get("text-raw").encode(List.of("tat", "A cat sat.", "tat"), false);
        assertArrayEquals(v.get(0)[0], v.get(2)[0], 0f);
        assertArrayEquals(text("text-raw", "A cat sat."), v.get(1)[0], 0f);
        assertTrue(Arrays.equals(v.get(0)[0], v.get(1)[0]) == false);
    }

    @Test
    public void registrationChecksKindFilesInputsAndDims() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> define("bad", Map.of("kind", "image",
            "model_file", "clip-test/vision-images-input.onnx", "dims", 4)));
        assertTrue(e.getMessage(), e.getMessage().contains("has no input [pixel_values]"));
        e = assertThrows(IllegalArgumentException.class, () -> define("bad", Map.of("kind", "image", "model_file", "clip-test/vision.onnx",
            "dims", 512)));
        assertEquals("model [bad] outputs [4] dims, not the [512] it was registered with", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> define("bad", Map.of("kind", "image", "model_file", "clip-test/vision.onnx",
            "tokenizer_file", "clip-test/tokenizer.json", "dims", 4)));
        assertEquals("[tokenizer_file] is not used by [image] models", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> define("bad", Map.of("kind", "clip_text", "model_file", "clip-test/text.onnx",
            "dims", 4)));
        assertEquals("[tokenizer_file] is required", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> define("bad", Map.of("kind", "image", "model_file", "clip-test/none.onnx",
            "dims", 4)));
        assertTrue(e.getCause() instanceof NoSuchFileException);
        ModelDefinition text = DEFINITIONS.get("text");
        assertEquals(ModelKind.CLIP_TEXT, text.kind());
        assertEquals(77, text.maxTokens());
        assertEquals(text, ModelDefinition.fromMap("text", text.toMap()));
        assertEquals(DEFINITIONS.get("vision"), ModelDefinition.fromMap("vision", DEFINITIONS.get("vision").toMap()));
    }
}
