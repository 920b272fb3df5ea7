package io.multivector.codec.multivector;

import io.multivector.codec.VectorFieldAttributes;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.codecs.DocValuesConsumer;
import org.apache.lucene.codecs.DocValuesFormat;
import org.apache.lucene.codecs.DocValuesProducer;
import org.apache.lucene.codecs.lucene90.IndexedDISI;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.IndexFileNames;
import org.apache.lucene.index.SegmentWriteState;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.IOUtils;
import org.apache.lucene.util.packed.DirectMonotonicWriter;

import java.io.IOException;

import static io.multivector.codec.multivector.MultiVector11DocValuesFormat.ADDRESSES_BLOCK_SHIFT;

/** Writes {@link MultiVector11DocValuesFormat}: see there for the layout. */
final class MultiVector11DocValuesConsumer extends DocValuesConsumer {

    static final long ALL_DOCS = -1;
    static final long NO_DOCS = -2;

    private final SegmentWriteState state;
    private final DocValuesFormat otherTypesFormat;
    private final int maxDoc;
    private IndexOutput meta;
    private IndexOutput data;
    private DocValuesConsumer otherTypes;

    MultiVector11DocValuesConsumer(SegmentWriteState state, DocValuesFormat otherTypesFormat) throws IOException {
        this.state = state;
        this.otherTypesFormat = otherTypesFormat;
        this.maxDoc = state.segmentInfo.maxDoc();
        boolean success = false;
        try {
            meta = state.directory.createOutput(fileName(state, MultiVector11DocValuesFormat.META_EXTENSION), state.context);
            CodecUtil.writeIndexHeader(meta, MultiVector11DocValuesFormat.META_CODEC, MultiVector11DocValuesFormat.VERSION_CURRENT,
                state.segmentInfo.getId(), state.segmentSuffix);
            data = state.directory.createOutput(fileName(state, MultiVector11DocValuesFormat.DATA_EXTENSION), state.context);
            CodecUtil.writeIndexHeader(data, MultiVector11DocValuesFormat.DATA_CODEC, MultiVector11DocValuesFormat.VERSION_CURRENT,
                state.segmentInfo.getId(), state.segmentSuffix);
            success = true;
        } finally {
            if (success == false) {
                IOUtils.closeWhileHandlingException(this);
            }
        }
    }

    static String fileName(SegmentWriteState state, String extension) {
        return IndexFileNames.segmentFileName(state.segmentInfo.name, state.segmentSuffix, extension);
    }

    @Override
    public void addBinaryField(FieldInfo field, DocValuesProducer valuesProducer) throws IOException {
        int bytesPerVector = VectorFieldAttributes.bytesPerVector(field);
        meta.writeInt(field.number);
        meta.writeVInt(bytesPerVector);

        long start = data.getFilePointer();
        int docsWithValue = 0;
        int minLength = Integer.MAX_VALUE, maxLength = 0;
        BinaryDocValues values = valuesProducer.getBinary(field);
        for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
            BytesRef matrix = values.binaryValue();
            if (matrix.length % bytesPerVector != 0) {
                throw new IllegalArgumentException("field [" + field.name + "]: a matrix of [" + matrix.length
                    + "] bytes is not a whole number of [" + bytesPerVector + "]-byte vectors");
            }
            data.writeBytes(matrix.bytes, matrix.offset, matrix.length);
            docsWithValue++;
            minLength = Math.min(minLength, matrix.length);
            maxLength = Math.max(maxLength, matrix.length);
        }
        meta.writeLong(start);
        meta.writeLong(data.getFilePointer() - start);

        if (docsWithValue == 0) {
            meta.writeLong(NO_DOCS);
        } else if (docsWithValue == maxDoc) {
            meta.writeLong(ALL_DOCS);
        } else {
            long setStart = data.getFilePointer();
            meta.writeLong(setStart);
            short jumpTableEntries = IndexedDISI.writeBitSet(valuesProducer.getBinary(field), data, IndexedDISI.DEFAULT_DENSE_RANK_POWER);
            meta.writeLong(data.getFilePointer() - setStart);
            meta.writeShort(jumpTableEntries);
            meta.writeByte(IndexedDISI.DEFAULT_DENSE_RANK_POWER);
        }
        meta.writeInt(docsWithValue);
        meta.writeInt(docsWithValue == 0 ? 0 : minLength);
        meta.writeInt(maxLength);

        if (docsWithValue > 0 && minLength != maxLength) {
            long addressesStart = data.getFilePointer();
            meta.writeLong(addressesStart);
            DirectMonotonicWriter addresses = DirectMonotonicWriter.getInstance(meta, data, docsWithValue + 1L, ADDRESSES_BLOCK_SHIFT);
            long address = 0;
            addresses.add(address);
            values = valuesProducer.getBinary(field);
            for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
                address += values.binaryValue().length;
                addresses.add(address);
            }
            addresses.finish();
            meta.writeLong(data.getFilePointer() - addressesStart);
        }
    }

    /** Other doc-values types go to Lucene's format, opened on first use. */
    private DocValuesConsumer otherTypes() throws IOException {
        if (otherTypes == null) {
            otherTypes = otherTypesFormat.fieldsConsumer(state);
        }
        return otherTypes;
    }

    @Override
    public void addNumericField(FieldInfo field, DocValuesProducer valuesProducer) throws IOException {
        otherTypes().addNumericField(field, valuesProducer);
    }

    @Override
    public void addSortedField(FieldInfo field, DocValuesProducer valuesProducer) throws IOException {
        otherTypes().addSortedField(field, valuesProducer);
    }

    @Override
    public void addSortedNumericField(FieldInfo field, DocValuesProducer valuesProducer) throws IOException {
        otherTypes().addSortedNumericField(field, valuesProducer);
    }

    @Override
    public void addSortedSetField(FieldInfo field, DocValuesProducer valuesProducer) throws IOException {
        otherTypes().addSortedSetField(field, valuesProducer);
    }

    @Override
    public void close() throws IOException {
        boolean success = false;
        try {
            if (meta != null) {
                meta.writeInt(-1); // end of fields
                meta.writeByte((byte) (otherTypes != null ? 1 : 0));
                CodecUtil.writeFooter(meta);
            }
            if (data != null) {
                CodecUtil.writeFooter(data);
            }
            success = true;
        } finally {
            if (success) {
                IOUtils.close(meta, data, otherTypes);
            } else {
                IOUtils.closeWhileHandlingException(meta, data, otherTypes);
            }
            meta = data = null;
            otherTypes = null;
        }
    }
}
