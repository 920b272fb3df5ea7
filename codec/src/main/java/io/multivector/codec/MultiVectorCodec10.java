package io.multivector.codec;

import org.apache.lucene.codecs.FilterCodec;

/**
 * Reads segments written by version 10 of the codec, whose stored sources hold the vectors whole: the per-field
 * formats are those of the current version, and a source without masks reads as it was stored. Never used to
 * write (indices write with {@link MultiVectorCodec}).
 */
public final class MultiVectorCodec10 extends FilterCodec {

    public static final String NAME = "MultiVectorCodec10";

    public MultiVectorCodec10() {
        super(NAME, new MultiVectorCodec());
    }
}
