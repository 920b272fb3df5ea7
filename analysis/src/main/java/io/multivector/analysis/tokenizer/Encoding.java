package io.multivector.analysis.tokenizer;

/** Ids of one encoded text; {@code punctuation[i]} is true for a punctuation token (documents' token vectors drop them). */
public record Encoding(long[] ids, boolean[] punctuation) {
    public int length() {
        return ids.length;
    }
}
