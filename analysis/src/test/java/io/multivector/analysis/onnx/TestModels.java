package io.multivector.analysis.onnx;

import io.multivector.analysis.tokenizer.TinyClipTokenizerJson;
import io.multivector.analysis.tokenizer.TinyUnigramTokenizerJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static io.multivector.analysis.onnx.OnnxModelWriter.FLOAT;
import static io.multivector.analysis.onnx.OnnxModelWriter.INT64;

/**
 * Tiny stand-ins for CLIP's towers whose outputs a test can compute by hand from the inputs, and the files the YAML
 * REST tests register: {@link #main} writes them (with the tiny tokenizer.json) at build time, under
 * {@code analysis/target/test-models/clip-test/}, which the test node gets in its {@code config/multivector}.
 */
public final class TestModels {

    public static final int EMBED_DIMS = 4;
    public static final int CONTEXT = 77;

    private TestModels() {}

    /** W[c][k] for the vision model: 3 x 4. */
    public static float[][] visionWeights() {
        return new float[][] {{1f, -0.5f, 0.25f, 2f}, {0.5f, 1f, -1f, 0f}, {-2f, 0.75f, 0.5f, 1f}};
    }

    /** W[j][k] for the text model: 77 x 4, small and varied so that every position counts differently. */
    public static float[][] textWeights() {
        float[][] w = new float[CONTEXT][EMBED_DIMS];
        for (int j = 0; j < CONTEXT; j++) {
            for (int k = 0; k < EMBED_DIMS; k++) {
                w[j][k] = ((j * 7 + k * 3) % 11 - 5) * 0.001f * (k + 1);
            }
        }
        return w;
    }

    private static float[] flat(float[][] m) {
        float[] f = new float[m.length * m[0].length];
        for (int i = 0; i < m.length; i++) System.arraycopy(m[i], 0, f, i * m[0].length, m[0].length);
        return f;
    }

    /** pixel_values [b,3,224,224] -> ReduceMean over H and W -> [b,3] -> MatMul W -> image_embeds [b,4]. */
    public static byte[] vision(String inputName) {
        return new OnnxModelWriter("vision")
            .input(inputName, FLOAT, -1, 3, 224, 224)
            .floatInitializer("W", flat(visionWeights()), 3, EMBED_DIMS)
            .node("ReduceMean", new String[] {inputName}, new String[] {"channel_means"},
                OnnxModelWriter.intsAttr("axes", 2, 3), OnnxModelWriter.intAttr("keepdims", 0))
            .node("MatMul", new String[] {"channel_means", "W"}, new String[] {"image_embeds"})
            .output("image_embeds", FLOAT, -1, EMBED_DIMS)
            .toBytes();
    }

    /**
     * input_ids int64 [b,77] -> Cast float -> (times Cast(attention_mask) when withMask) -> MatMul W [77,4]
     * -> text_embeds [b,4].
     */
    public static byte[] text(boolean withMask) {
        OnnxModelWriter w = new OnnxModelWriter("text")
            .input("input_ids", INT64, -1, CONTEXT)
            .floatInitializer("W", flat(textWeights()), CONTEXT, EMBED_DIMS)
            .node("Cast", new String[] {"input_ids"}, new String[] {"ids_f"}, OnnxModelWriter.intAttr("to", FLOAT));
        String x = "ids_f";
        if (withMask) {
            w.input("attention_mask", INT64, -1, CONTEXT)
                .node("Cast", new String[] {"attention_mask"}, new String[] {"mask_f"}, OnnxModelWriter.intAttr("to", FLOAT))
                .node("Mul", new String[] {"ids_f", "mask_f"}, new String[] {"masked_ids"});
            x = "masked_ids";
        }
        return w.node("MatMul", new String[] {x, "W"}, new String[] {"text_embeds"})
            .output("text_embeds", FLOAT, -1, EMBED_DIMS)
            .toBytes();
    }

    /**
     * input_ids int64 [b,77] -> Gather from an embedding table E [102,4], E[i][k] = i * (k + 1) / 100 -> last_hidden_state
     * [b,77,4], read at the end-of-text token.
     */
    public static byte[] textStates() {
        float[] table = new float[102 * EMBED_DIMS];
        for (int i = 0; i < 102; i++) {
            for (int k = 0; k < EMBED_DIMS; k++) {
                table[i * EMBED_DIMS + k] = i * (k + 1) / 100f;
            }
        }
        return new OnnxModelWriter("text-states")
            .input("input_ids", INT64, -1, CONTEXT)
            .floatInitializer("E", table, 102, EMBED_DIMS)
            .node("Gather", new String[] {"E", "input_ids"}, new String[] {"last_hidden_state"})
            .output("last_hidden_state", FLOAT, -1, CONTEXT, EMBED_DIMS)
            .toBytes();
    }

    /** The vocabulary of {@link #tinyWordPieceJson}, in id order: ids are the positions. */
    public static final List<String> TINY_VOCAB = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "[Q]", "[D]", "query", "passage",
        ":", "cats", "sit", "on", "the", "mats", ".");

    /** A WordPiece tokenizer.json over {@link #TINY_VOCAB} (lowercasing, as BERT's uncased models). */
    public static String tinyWordPieceJson() {
        StringBuilder vocab = new StringBuilder();
        for (int i = 0; i < TINY_VOCAB.size(); i++) {
            vocab.append(i == 0 ? "" : ", ").append('"').append(TINY_VOCAB.get(i)).append("\": ").append(i);
        }
        return """
            {"version": "1.0", "normalizer": {"type": "BertNormalizer", "lowercase": true, "strip_accents": null},
             "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "vocab": {%s}}}
            """.formatted(vocab);
    }

    /**
     * A BERT-style model that shows its input: input_ids and attention_mask int64 [b,n] -> last_hidden_state [b,n,V],
     * the one-hot vector of each input id (a Gather from the V x V identity; the mask's Gather from zeros adds nothing
     * but makes it an input the model consumes). A token's vector tells its id exactly; a mean-pooled one the ids' counts.
     */
    public static byte[] oneHotBert(int vocabSize) {
        float[] identity = new float[vocabSize * vocabSize];
        for (int i = 0; i < vocabSize; i++) {
            identity[i * vocabSize + i] = 1f;
        }
        return new OnnxModelWriter("one-hot-bert")
            .input("input_ids", INT64, -1, -2)
            .input("attention_mask", INT64, -1, -2)
            .floatInitializer("E", identity, vocabSize, vocabSize)
            .floatInitializer("Z", new float[2 * vocabSize], 2, vocabSize)
            .node("Gather", new String[] {"E", "input_ids"}, new String[] {"one_hot"})
            .node("Gather", new String[] {"Z", "attention_mask"}, new String[] {"zeros"})
            .node("Add", new String[] {"one_hot", "zeros"}, new String[] {"last_hidden_state"})
            .output("last_hidden_state", FLOAT, -1, -2, vocabSize)
            .toBytes();
    }

    /** A seeded random {@code [hidden][dims]} matrix, as a ColBERT checkpoint's final linear layer (transposed). */
    public static float[][] projection(int hidden, int dims, long seed) {
        Random random = new Random(seed);
        float[][] w = new float[hidden][dims];
        for (float[] row : w) {
            for (int j = 0; j < dims; j++) {
                row[j] = (float) random.nextGaussian();
            }
        }
        return w;
    }

    /** A matrix as a {@code projection_file}: little-endian float32, row-major. */
    public static byte[] projectionFile(float[][] w) {
        ByteBuffer bytes = ByteBuffer.allocate(w.length * w[0].length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] row : w) {
            for (float x : row) {
                bytes.putFloat(x);
            }
        }
        return bytes.array();
    }

    /**
     * The files of the YAML REST tests' CLIP models, under {@code dir/clip-test/}, a 384 x 8 projection for MiniLM's
     * token vectors, {@code dir/projection/minilm-384x8.f32}, a Unigram tokenizer.json with a one-hot model over its
     * vocabulary under {@code dir/unigram-test/}, and the CLIP tokenizer.json the reference ids are computed on
     * ({@code dir/reference/}, benchmarks/tokenizer-reference).
     */
    public static void writeYamlModels(Path dir) throws IOException {
        Path clip = Files.createDirectories(dir.resolve("clip-test"));
        write(clip, "vision.onnx", vision("pixel_values"));
        write(clip, "text.onnx", text(true));
        Files.writeString(clip.resolve("tokenizer.json"), TinyClipTokenizerJson.json(false));
        write(Files.createDirectories(dir.resolve("projection")), "minilm-384x8.f32", projectionFile(projection(384, 8, 42)));
        Path unigram = Files.createDirectories(dir.resolve("unigram-test"));
        Files.writeString(unigram.resolve("tokenizer.json"), TinyUnigramTokenizerJson.json());
        write(unigram, "one-hot.onnx", oneHotBert(TinyUnigramTokenizerJson.PIECES.size()));
        Files.writeString(unigram.resolve("unknown-type-tokenizer.json"), "{\"version\": \"1.0\", \"model\": {\"type\": \"CharLevel\", \"vocab\": {}}}");
        Files.writeString(Files.createDirectories(dir.resolve("reference")).resolve("clip-tokenizer.json"),
            TinyClipTokenizerJson.withClipPipeline());
    }

    /** Run at build time (process-test-classes): writes the YAML tests' model files under args[0]. */
    public static void main(String[] args) throws IOException {
        writeYamlModels(Path.of(args[0]));
    }

    public static Path write(Path dir, String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
