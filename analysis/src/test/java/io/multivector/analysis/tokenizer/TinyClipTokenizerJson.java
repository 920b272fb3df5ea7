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
}
