package io.multivector.analysis.tokenizer;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A hand-made CLIP-style tokenizer.json (there is no real one on this machine) whose outputs can be
 * worked out by hand: "cat" merges fully, "sat" only partly, "tat" shows that ranks decide the order,
 * and "é" / soft hyphen exercise the byte-to-character map (0xC3 -> 'Ã', 0xA9 -> '©', 0xC2 -> 'Â',
 * 0xAD -> U+0143 'Ń' as the 35th unprintable byte).
 */
public final class TinyClipTokenizerJson {

    public static final int START = 100;
    public static final int END = 101;

    private TinyClipTokenizerJson() {}

    public static String json(boolean mergesAsArrays) {
        String merges = mergesAsArrays
            ? "[[\"a\", \"t</w>\"], [\"c\", \"at</w>\"], [\"t\", \"a\"]]"
            : "[\"a t</w>\", \"c at</w>\", \"t a\"]";
        return """
            {
              "version": "1.0",
              "added_tokens": [
                {"id": 100, "content": "<|startoftext|>", "special": true},
                {"id": 101, "content": "<|endoftext|>", "special": true}
              ],
              "normalizer": {"type": "Sequence"},
              "model": {
                "type": "BPE",
                "end_of_word_suffix": "</w>",
                "vocab": {
                  "a</w>": 1, "cat</w>": 2, "s": 3, "at</w>": 4, ".</w>": 5, "t": 6,
                  "\u00c3": 7, "\u00a9</w>": 8, "\u00c2": 9, "\u0143</w>": 10, "a": 11, "c": 12, "t</w>": 13,
                  "<|startoftext|>": 100, "<|endoftext|>": 101
                },
                "merges": %s
              }
            }
            """.formatted(merges);
    }

    public static InputStream stream(boolean mergesAsArrays) {
        return new ByteArrayInputStream(json(mergesAsArrays).getBytes(StandardCharsets.UTF_8));
    }

    /** The merges of {@link #withClipPipeline}, by rank; each merged token is in the vocabulary. */
    static final String[][] PIPELINE_MERGES = { {"t", "h"}, {"th", "e</w>"}, {"c", "a"}, {"ca", "t</w>"}, {"a", "t</w>"}, {"s", "i"},
        {"si", "t</w>"}, {"o", "n</w>"}, {"m", "at</w>"}, {"ca", "t"}, {"cat", "s</w>"}, {"\u00c3", "\u00a9</w>"} };

    /**
     * A CLIP tokenizer.json as openai/clip-vit-base-patch32's, with a small vocabulary: CLIP's normalizer (NFC, spaces
     * collapsed, lowercase), its word regex and byte-level alphabet, RobertaProcessing with &lt;|startoftext|&gt; and
     * &lt;|endoftext|&gt;, BPE with "&lt;/w&gt;" ending words. Every byte is a token (alone and ending a word), as in
     * CLIP's vocabulary, so no text is unknown; a few merges build whole words. Independent implementations read
     * every part of it, which the file above (no pipeline) does not allow.
     */
    public static String withClipPipeline() {
        java.util.LinkedHashMap<String, Integer> vocab = new java.util.LinkedHashMap<>();
        for (int b = 0; b < 256; b++) {
            vocab.put(String.valueOf(ByteLevelAlphabet.charOf(b)), vocab.size());
        }
        for (int b = 0; b < 256; b++) {
            vocab.put(ByteLevelAlphabet.charOf(b) + "</w>", vocab.size());
        }
        StringBuilder merges = new StringBuilder();
        for (String[] m : PIPELINE_MERGES) {
            vocab.putIfAbsent(m[0] + m[1], vocab.size());
            merges.append(merges.isEmpty() ? "" : ", ").append("[").append(quote(m[0])).append(", ").append(quote(m[1])).append("]");
        }
        int start = vocab.size();
        vocab.put("<|startoftext|>", start);
        vocab.put("<|endoftext|>", start + 1);
        StringBuilder v = new StringBuilder();
        vocab.forEach((k, id) -> v.append(v.isEmpty() ? "" : ", ").append(quote(k)).append(": ").append(id));
        return """
            {
              "version": "1.0",
              "truncation": null,
              "padding": null,
              "added_tokens": [
                {"id": %1$d, "content": "<|startoftext|>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": true, "special": true},
                {"id": %2$d, "content": "<|endoftext|>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}
              ],
              "normalizer": {"type": "Sequence", "normalizers": [{"type": "NFC"},
                {"type": "Replace", "pattern": {"Regex": "\\\\s+"}, "content": " "}, {"type": "Lowercase"}]},
              "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
                {"type": "Split", "pattern": {"Regex": "<\\\\|startoftext\\\\|>|<\\\\|endoftext\\\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\\\p{L}]+|[\\\\p{N}]|[^\\\\s\\\\p{L}\\\\p{N}]+"},
                 "behavior": "Removed", "invert": true},
                {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false}]},
              "post_processor": {"type": "RobertaProcessing", "sep": ["<|endoftext|>", %2$d], "cls": ["<|startoftext|>", %1$d],
                "trim_offsets": false, "add_prefix_space": false},
              "decoder": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true},
              "model": {"type": "BPE", "dropout": null, "unk_token": "<|endoftext|>", "continuing_subword_prefix": "",
                "end_of_word_suffix": "</w>", "fuse_unk": false, "byte_fallback": false, "vocab": {%3$s}, "merges": [%4$s]}
            }
            """.formatted(start, start + 1, v, merges);
    }

    /** A JSON string literal. */
    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
