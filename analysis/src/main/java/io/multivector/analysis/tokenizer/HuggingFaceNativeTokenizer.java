package io.multivector.analysis.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Any tokenizer.json, run by Hugging Face's own tokenizers library (Rust, through DJL's JNI binding): the
 * normalizer, pre-tokenizer, model (Unigram, BPE, WordLevel, WordPiece) and post-processor exactly as the file
 * says. Used for the families we do not implement in Java (SentencePiece Unigram of XLM-R models, RoBERTa's BPE).
 * The special tokens are the ones the post-processor puts around a text; truncation keeps them.
 */
final class HuggingFaceNativeTokenizer implements TextTokenizer {

    static {
        // DJL reports usage to its makers from EC2 hosts unless told not to: a search node must not call out
        if (System.getProperty("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
    }

    private final HuggingFaceTokenizer tokenizer;
    private final Map<String, Integer> vocabulary;
    private final SpecialTokens specialTokens;

    HuggingFaceNativeTokenizer(byte[] json, JsonNode root, Map<String, Integer> vocabulary) throws IOException {
        this.tokenizer = open(json);
        this.vocabulary = vocabulary;
        ai.djl.huggingface.tokenizers.Encoding empty = tokenizer.encode("", true, false);
        long[] specials = empty.getIds();
        // a template such as "<s> $A </s>" puts one token before the text and one after; a model without one adds none
        JsonNode padding = root.path("padding").path("pad_id");
        this.specialTokens = new SpecialTokens(specials.length >= 2 ? (int) specials[0] : -1,
            specials.length >= 1 ? (int) specials[specials.length - 1] : -1,
            padding.isInt() ? padding.asInt() : firstId(vocabulary, 0, "<pad>", "[PAD]"), firstId(vocabulary, -1, "<mask>", "[MASK]"));
    }

    private static int firstId(Map<String, Integer> vocabulary, int none, String... tokens) {
        for (String token : tokens) {
            Integer id = vocabulary.get(token);
            if (id != null) {
                return id;
            }
        }
        return none;
    }

    /**
     * DJL finds its native library with the thread's context class loader, which inside OpenSearch is not the plugin's:
     * point it at ours while the library loads. DJL copies the library once into its cache directory, by default
     * {@code ~/.djl.ai} when the user's home is writable, but OpenSearch lets a node write only to its own directories
     * (a node whose home is writable, as in the official Docker image, refused it): unless the operator chose a directory
     * (ENGINE_CACHE_DIR or DJL_CACHE_DIR, environment or system property), the node's temporary directory is used, set
     * only while the library loads so that other DJL users in the JVM keep their defaults.
     */
    private static HuggingFaceTokenizer open(byte[] json) throws IOException {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        synchronized (HuggingFaceNativeTokenizer.class) {
            boolean chosen = isSet("ENGINE_CACHE_DIR") || isSet("DJL_CACHE_DIR");
            if (chosen == false) {
                System.setProperty("ENGINE_CACHE_DIR", Path.of(System.getProperty("java.io.tmpdir"), ".djl.ai").toString());
            }
            thread.setContextClassLoader(HuggingFaceNativeTokenizer.class.getClassLoader());
            try {
                // no truncation or padding by the library: encode() cuts around the special tokens itself
                return HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json),
                    Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false", "maxLength", "-1"));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("Hugging Face tokenizers cannot load the tokenizer.json: " + e.getMessage(), e);
            } finally {
                thread.setContextClassLoader(previous);
                if (chosen == false) {
                    System.clearProperty("ENGINE_CACHE_DIR");
                }
            }
        }
    }

    private static boolean isSet(String name) {
        return System.getenv(name) != null || System.getProperty(name) != null;
    }

    @Override
    public Encoding encode(String text, int maxTokens) {
        ai.djl.huggingface.tokenizers.Encoding encoding = tokenizer.encode(text, true, false);
        long[] ids = encoding.getIds();
        long[] special = encoding.getSpecialTokenMask();
        String[] tokens = encoding.getTokens();
        int lead = 0;
        while (lead < ids.length && special[lead] == 1) {
            lead++;
        }
        int trail = 0;
        while (trail < ids.length - lead && special[ids.length - 1 - trail] == 1) {
            trail++;
        }
        int content = Math.max(0, Math.min(ids.length - lead - trail, maxTokens - lead - trail));
        int n = lead + content + trail;
        long[] out = new long[n];
        boolean[] punctuation = new boolean[n];
        for (int i = 0; i < n; i++) {
            int from = i < lead + content ? i : ids.length - (n - i);
            out[i] = ids[from];
            punctuation[i] = special[from] == 0 && isPunctuation(tokens[from]);
        }
        return new Encoding(out, punctuation);
    }

    /** A token made of punctuation only, once the word-start marks of SentencePiece (▁) and byte-level BPE (Ġ) are off. */
    static boolean isPunctuation(String token) {
        String bare = token.replace("\u2581", "").replace("\u0120", "");
        if (bare.startsWith("##")) {
            bare = bare.substring(2);
        }
        return bare.isEmpty() == false && bare.codePoints().allMatch(WordPieceTokenizer::isPunctuation);
    }

    @Override
    public Integer tokenId(String token) {
        return vocabulary.get(token);
    }

    @Override
    public SpecialTokens specialTokens() {
        return specialTokens;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
