package io.multivector.analysis;

import io.multivector.analysis.encoder.Encoder;
import org.junit.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

public class ModelRegistryTest {

    /** Serves the bundled MiniLM files as if they were in config/multivector/minilm/. */
    static final class BundledFiles implements ModelSource {
        final Map<String, ModelDefinition> definitions = new HashMap<>();

        @Override
        public Map<String, ModelDefinition> definitions() {
            return Map.copyOf(definitions);
        }

        @Override
        public byte[] read(String relativePath) throws IOException {
            try (InputStream in = getClass().getResourceAsStream("/io/multivector/analysis/models/" + relativePath)) {
                if (in == null) {
                    throw new IOException("no file [" + relativePath + "]");
                }
                return in.readAllBytes();
            }
        }
    }

    static Map<String, Object> body(String modelFile, int dims) {
        return new HashMap<>(Map.of("kind", "text_dense", "model_file", modelFile, "tokenizer_file", "minilm/all-minilm-l6-v2-q-tokenizer.json",
            "dims", dims, "max_tokens", 128));
    }

    @Test
    public void definitionsRejectPathsOutOfTheConfigDirectoryAndBadValues() {
        for (String path : List.of("../x.onnx", "minilm/../../x", "/etc/passwd", "c:\\x", "./x", "a//b")) {
            assertThrows(path, IllegalArgumentException.class, () -> ModelDefinition.fromMap("m", body(path, 384)));
        }
        assertThrows(IllegalArgumentException.class, () -> ModelDefinition.fromMap("Bad Id", body("a.onnx", 384)));
        Map<String, Object> unknown = body("a.onnx", 384);
        unknown.put("url", "http://x");
        assertThrows(IllegalArgumentException.class, () -> ModelDefinition.fromMap("m", unknown));
        Map<String, Object> kind = body("a.onnx", 384);
        kind.put("kind", "image_magic");
        assertThrows(IllegalArgumentException.class, () -> ModelDefinition.fromMap("m", kind));
        ModelDefinition ok = ModelDefinition.fromMap("m", body("minilm/all-minilm-l6-v2-q.onnx", 384));
        assertEquals(ok, ModelDefinition.fromMap("m", ok.toMap()));
    }

    @Test
    public void registeredModelsLoadVerifyAndUnload() throws Exception {
        BundledFiles files = new BundledFiles();
        try (ModelRegistry registry = new ModelRegistry(1, files)) {
            assertThrows(IllegalArgumentException.class, () -> registry.verify(ModelDefinition.fromMap("m", body("minilm/nope.onnx", 384))));
            assertThrows(IllegalArgumentException.class,
                () -> registry.verify(ModelDefinition.fromMap("m", body("minilm/all-minilm-l6-v2-q.onnx", 128))));
            ModelDefinition mine = ModelDefinition.fromMap("mine", body("minilm/all-minilm-l6-v2-q.onnx", 384));
            registry.verify(mine);
            assertThrows(IllegalArgumentException.class, () -> registry.get("mine"));
            files.definitions.put("mine", mine);
            Encoder encoder = registry.get("mine");
            float[] ours = encoder.encode(List.of("hello there"), false).get(0)[0];
            float[] builtIn = registry.get(ModelRegistry.MINILM).encode(List.of("hello there"), false).get(0)[0];
            assertArrayEquals(builtIn, ours, 1e-6f);
            assertTrue(registry.infos().get("mine").loaded());
            files.definitions.remove("mine");
            registry.unloadStale();
            assertFalse(registry.ids().contains("mine"));
            assertThrows(IllegalArgumentException.class, () -> registry.get("mine"));
        }
    }

    @Test
    public void modelsOverOneNetworkShareItsRunAndGiveTheSameVectors() throws Exception {
        try (ModelRegistry registry = new ModelRegistry(1)) {
            var dense = (io.multivector.analysis.encoder.BertEncoder) registry.get(ModelRegistry.MINILM);
            var tokens = (io.multivector.analysis.encoder.BertEncoder) registry.get(ModelRegistry.MINILM_TOKENS);
            List<String> texts = List.of("one text", "and another, longer text with punctuation!");
            List<List<float[][]>> together = io.multivector.analysis.encoder.BertEncoder.encodeTogether(List.of(dense, tokens), texts, false);
            List<float[][]> denseAlone = dense.encode(texts, false), tokensAlone = tokens.encode(texts, false);
            for (int t = 0; t < texts.size(); t++) {
                assertArrayEquals(denseAlone.get(t)[0], together.get(0).get(t)[0], 0f);
                assertEquals(tokensAlone.get(t).length, together.get(1).get(t).length);
                for (int r = 0; r < tokensAlone.get(t).length; r++) {
                    assertArrayEquals(tokensAlone.get(t)[r], together.get(1).get(t)[r], 0f);
                }
            }
        }
    }
}
