package io.multivector.analysis.tokenizer;

import java.util.List;

/**
 * A small SentencePiece-Unigram tokenizer.json laid out as XLM-R's (multilingual-e5, paraphrase-multilingual-MiniLM,
 * jina-colbert-v2): &lt;s&gt; &lt;pad&gt; &lt;/s&gt; &lt;unk&gt; first, pieces with log-probability scores, Metaspace
 * pre-tokenization and the &lt;s&gt; $A &lt;/s&gt; template. Its normalizer is NFKC, lowercase and XLM-R's collapse
 * of repeated spaces (XLM-R's own is a precompiled SentencePiece charsmap, NFKC-like). The scores make the best
 * segmentation differ from the greedy one: "▁cats" is one piece, yet "▁cat" + "s" scores higher.
 */
public final class TinyUnigramTokenizerJson {

    /** The pieces and their scores, in id order; {@code <mask>} comes last, as in XLM-R. */
    public static final List<Piece> PIECES = List.of(new Piece("<s>", 0), new Piece("<pad>", 0), new Piece("</s>", 0),
        new Piece("<unk>", 0), new Piece("\u2581", -2), new Piece("\u2581the", -3), new Piece("\u2581cat", -4), new Piece("s", -3.5),
        new Piece("\u2581cats", -8), new Piece("\u2581sit", -5), new Piece("\u2581on", -4), new Piece("\u2581mat", -6),
        new Piece("\u2581ma", -5), new Piece("t", -3), new Piece(".", -3), new Piece(",", -3), new Piece("\u2581caf", -7),
        new Piece("\u00e9", -5), new Piece("\u2581caf\u00e9", -9), new Piece("a", -4), new Piece("c", -4), new Piece("e", -4),
        new Piece("h", -4), new Piece("i", -4), new Piece("m", -4), new Piece("n", -4), new Piece("o", -4), new Piece("\u2581fi", -6),
        new Piece("fi", -5), new Piece("f", -4), new Piece("\u2581s", -5), new Piece("it", -4.5), new Piece("\u2581\u732b", -6),
        new Piece("<mask>", 0));

    public static final int BOS = 0;
    public static final int PAD = 1;
    public static final int EOS = 2;
    public static final int UNK = 3;
    public static final int MASK = PIECES.size() - 1;

    public record Piece(String piece, double score) {}

    private TinyUnigramTokenizerJson() {}

    /** The id of a piece. */
    public static int id(String piece) {
        for (int i = 0; i < PIECES.size(); i++) {
            if (PIECES.get(i).piece().equals(piece)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no piece [" + piece + "]");
    }

    public static String json() {
        StringBuilder vocab = new StringBuilder();
        for (Piece p : PIECES) {
            vocab.append(vocab.isEmpty() ? "" : ", ").append("[\"").append(p.piece()).append("\", ").append(p.score()).append(']');
        }
        StringBuilder added = new StringBuilder();
        for (int id : new int[] { BOS, PAD, EOS, UNK, MASK }) {
            added.append(added.isEmpty() ? "" : ",\n    ").append("""
                {"id": %d, "content": "%s", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}"""
                .formatted(id, PIECES.get(id).piece()));
        }
        return """
            {
              "version": "1.0",
              "truncation": null,
              "padding": null,
              "added_tokens": [
                %s
              ],
              "normalizer": {"type": "Sequence", "normalizers": [
                {"type": "NFKC"}, {"type": "Lowercase"}, {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}]},
              "pre_tokenizer": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": true},
              "post_processor": {"type": "TemplateProcessing",
                "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                           {"SpecialToken": {"id": "</s>", "type_id": 0}}],
                "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                         {"SpecialToken": {"id": "</s>", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}},
                         {"Sequence": {"id": "B", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
                "special_tokens": {
                  "<s>": {"id": "<s>", "ids": [0], "tokens": ["<s>"]},
                  "</s>": {"id": "</s>", "ids": [2], "tokens": ["</s>"]}}},
              "decoder": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": true},
              "model": {"type": "Unigram", "unk_id": 3, "byte_fallback": false, "vocab": [%s]}
            }
            """.formatted(added, vocab);
    }
}
