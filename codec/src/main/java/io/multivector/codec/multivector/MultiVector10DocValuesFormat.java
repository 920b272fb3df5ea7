package io.multivector.codec.multivector;

import org.apache.lucene.codecs.DocValuesConsumer;
import org.apache.lucene.codecs.DocValuesFormat;
import org.apache.lucene.codecs.DocValuesProducer;
import org.apache.lucene.codecs.lucene90.Lucene90DocValuesFormat;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;

import java.io.IOException;

/**
 * Reads segments written by version 10 of the multi-vector format (new segments are written by
 * {@link MultiVector11DocValuesFormat}): each document's encoded token matrix is one contiguous binary value
 * (Lucene 9.0's binary doc-values layout: values back to back in one data file, addressed by a monotonic offset
 * table, read through mmap into one reused buffer per iterator: no allocation per document). The name is ours,
 * so the layout can change in a new version (a first-stage candidate index, aligned rows) while segments
 * written by this one stay readable through it.
 */
public final class MultiVector10DocValuesFormat extends DocValuesFormat {

    public static final String NAME = "MultiVector10";

    private final DocValuesFormat layout = new Lucene90DocValuesFormat();

    public MultiVector10DocValuesFormat() {
        super(NAME);
    }

    @Override
    public DocValuesConsumer fieldsConsumer(SegmentWriteState state) throws IOException {
        return layout.fieldsConsumer(state);
    }

    @Override
    public DocValuesProducer fieldsProducer(SegmentReadState state) throws IOException {
        return layout.fieldsProducer(state);
    }
}
