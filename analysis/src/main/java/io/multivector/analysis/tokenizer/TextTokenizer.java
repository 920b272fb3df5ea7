package io.multivector.analysis.tokenizer;

/**
 * What a text encoder needs from a tokenizer.json: the ids of a text with the model's special tokens around it, and the
 * ids of the special tokens themselves. {@link TokenizerJson#load} picks the implementation from the file's model type.
 */
public interface TextTokenizer extends AutoCloseable {

    /** The ids of a text with the model's special tokens ([CLS] … [SEP], &lt;s&gt; … &lt;/s&gt;), at most {@code maxTokens} in all. */
    Encoding encode(String text, int maxTokens);

    /** The id of a token of the vocabulary or of the added tokens, as written there (e.g. {@code [unused0]}), or null. */
    Integer tokenId(String token);

    /** The ids of the special tokens. */
    SpecialTokens specialTokens();

    /** Frees native resources, if any. */
    @Override
    default void close() {}
}
