package io.multivector.analysis.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Picks the tokenizer for a text model's tokenizer.json by what the file holds. BERT's WordPiece (BertNormalizer and
 * BertPreTokenizer, or none named) runs in Java ({@link WordPieceTokenizer}: the same ids as Hugging Face's library and about three
 * times its speed, benchmarks/tokenizers.sh); every other model type Hugging Face defines (Unigram, BPE, WordLevel, or a
 * WordPiece with other normalizers) runs in Hugging Face's own library ({@link HuggingFaceNativeTokenizer}). Anything
 * else is refused with the type named.
 */
public final class TokenizerJson {

    /** The model types of Hugging Face's tokenizers library. */
    public static final List<String> MODEL_TYPES = List.of("WordPiece", "BPE", "Unigram", "WordLevel");

    private TokenizerJson() {}

    public static TextTokenizer load(byte[] json) throws IOException {
        return load(json, false);
    }

    /** Hugging Face's library whatever the model type: to compare our tokenizers with it (tests, benchmarks/tokenizers.sh). */
    public static TextTokenizer loadWithHuggingFace(byte[] json) throws IOException {
        return load(json, true);
    }

    private static TextTokenizer load(byte[] json, boolean alwaysHuggingFace) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("the tokenizer.json is not valid JSON: " + e.getMessage(), e);
        }
        JsonNode model = root == null ? null : root.path("model");
        if (model == null || model.isObject() == false) {
            throw new IllegalArgumentException("the tokenizer.json has no [model] object: is it a Hugging Face tokenizer.json?");
        }
        String type = model.path("type").asText(null);
        if (type == null && model.has("vocab") && model.has("merges")) {
            type = "BPE"; // files written by older versions of the library leave the type out of BPE models
        }
        if (MODEL_TYPES.contains(type) == false) {
            throw new IllegalArgumentException("the tokenizer.json model type [" + type + "] is not supported; supported: " + MODEL_TYPES);
        }
        if (type.equals("WordPiece") && isBert(root) && alwaysHuggingFace == false) {
            return new WordPieceTokenizer(new ByteArrayInputStream(json));
        }
        return new HuggingFaceNativeTokenizer(json, root, vocabulary(root, model));
    }

    /** BERT's normalizer and pre-tokenizer, or none named (files written by hand for BERT, which the Java one always read so). */
    private static boolean isBert(JsonNode root) {
        String normalizer = root.path("normalizer").path("type").asText("BertNormalizer");
        String preTokenizer = root.path("pre_tokenizer").path("type").asText("BertPreTokenizer");
        return normalizer.equals("BertNormalizer") && preTokenizer.equals("BertPreTokenizer");
    }

    /** Token -> id, from the model's vocabulary (an object, or Unigram's [piece, score] list) and the added tokens. */
    private static Map<String, Integer> vocabulary(JsonNode root, JsonNode model) {
        Map<String, Integer> vocabulary = new HashMap<>();
        JsonNode vocab = model.path("vocab");
        if (vocab.isArray()) {
            for (int id = 0; id < vocab.size(); id++) {
                vocabulary.put(vocab.get(id).path(0).asText(), id);
            }
        } else {
            vocab.fields().forEachRemaining(e -> vocabulary.put(e.getKey(), e.getValue().asInt()));
        }
        for (JsonNode added : root.path("added_tokens")) {
            vocabulary.put(added.path("content").asText(), added.path("id").asInt());
        }
        return Map.copyOf(vocabulary);
    }
}
