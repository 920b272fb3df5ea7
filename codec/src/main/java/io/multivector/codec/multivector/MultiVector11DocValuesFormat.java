package io.multivector.codec.multivector;

import org.apache.lucene.codecs.DocValuesConsumer;
import org.apache.lucene.codecs.DocValuesFormat;
import org.apache.lucene.codecs.DocValuesProducer;
import org.apache.lucene.codecs.lucene90.Lucene90DocValuesFormat;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;

import java.io.IOException;

/**
 * Format of multi-vector fields, version 11: the token matrices of a field back to back in one data file
 * ({@code .mvd}), each document's matrix contiguous at the field's precision; its metadata file ({@code .mvm})
 * records per field the bytes of one vector (every matrix is a whole number of vectors: checked on write), the
 * documents that have a matrix (all, or a Lucene {@code IndexedDISI} set), the shortest and longest matrix, and
 * the matrices' start offsets (monotonic, only when lengths vary). Reads go through mmap into one buffer per
 * iterator: no allocation per document.
 *
 * <p>The plugin routes only its multi-vector fields here; other doc-values types, which it never sends, are
 * kept in Lucene 9.0's format beside these files so that the format passes Lucene's whole doc-values suite.
 */
public final class MultiVector11DocValuesFormat extends DocValuesFormat {

    public static final String NAME = "MultiVector11";
    static final String META_CODEC = "MultiVector11Meta";
    static final String DATA_CODEC = "MultiVector11Data";
    static final String META_EXTENSION = "mvm";
    static final String DATA_EXTENSION = "mvd";
    static final int VERSION_START = 0;
    static final int VERSION_CURRENT = VERSION_START;
    static final int ADDRESSES_BLOCK_SHIFT = 16;

    private final DocValuesFormat otherTypes = new Lucene90DocValuesFormat();

    public MultiVector11DocValuesFormat() {
        super(NAME);
    }

    @Override
    public DocValuesConsumer fieldsConsumer(SegmentWriteState state) throws IOException {
        return new MultiVector11DocValuesConsumer(state, otherTypes);
    }

    @Override
    public DocValuesProducer fieldsProducer(SegmentReadState state) throws IOException {
        return new MultiVector11DocValuesProducer(state, otherTypes);
    }
}
