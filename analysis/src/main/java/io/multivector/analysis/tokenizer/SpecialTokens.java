package io.multivector.analysis.tokenizer;

/**
 * The ids of a tokenizer's special tokens: the one put first ([CLS], &lt;s&gt;) and last ([SEP], &lt;/s&gt;), -1 when the
 * tokenizer.json adds none; the padding token of batches; the mask token ([MASK], &lt;mask&gt;) that pads augmented
 * queries, -1 when the vocabulary has none.
 */
public record SpecialTokens(int cls, int sep, int pad, int mask) {}
