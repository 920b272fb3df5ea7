package io.multivector.codec.multivector;

import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.codecs.DocValuesFormat;
import org.apache.lucene.codecs.DocValuesProducer;
import org.apache.lucene.codecs.lucene90.IndexedDISI;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.DocValuesSkipper;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.IndexFileNames;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.SortedNumericDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.store.ChecksumIndexInput;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.util.IOUtils;
import org.apache.lucene.util.LongValues;
import org.apache.lucene.util.packed.DirectMonotonicReader;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import static io.multivector.codec.multivector.MultiVector11DocValuesFormat.ADDRESSES_BLOCK_SHIFT;

/** Reads {@link MultiVector11DocValuesFormat}: see there for the layout. */
final class MultiVector11DocValuesProducer extends DocValuesProducer {

    private record Field(int bytesPerVector, long dataOffset, long dataLength, long docsOffset, long docsLength, short jumpTableEntries,
                         byte denseRankPower, int docsWithValue, int minLength, int maxLength, long addressesOffset,
                         DirectMonotonicReader.Meta addressesMeta, long addressesLength) {}

    private final Map<Integer, Field> fields = new HashMap<>();
    private final IndexInput data;
    private final DocValuesProducer otherTypes;
    private final int maxDoc;

    MultiVector11DocValuesProducer(SegmentReadState state, DocValuesFormat otherTypesFormat) throws IOException {
        this.maxDoc = state.segmentInfo.maxDoc();
        boolean hasOtherTypes;
        String metaName = IndexFileNames.segmentFileName(state.segmentInfo.name, state.segmentSuffix,
            MultiVector11DocValuesFormat.META_EXTENSION);
        try (ChecksumIndexInput meta = state.directory.openChecksumInput(metaName)) {
            Throwable failure = null;
            boolean others = false;
            try {
                CodecUtil.checkIndexHeader(meta, MultiVector11DocValuesFormat.META_CODEC, MultiVector11DocValuesFormat.VERSION_START,
                    MultiVector11DocValuesFormat.VERSION_CURRENT, state.segmentInfo.getId(), state.segmentSuffix);
                readFields(meta, state);
                others = meta.readByte() == 1;
            } catch (Throwable t) {
                failure = t;
            } finally {
                CodecUtil.checkFooter(meta, failure);
            }
            hasOtherTypes = others;
        }
        IndexInput in = null;
        DocValuesProducer otherProducer = null;
        boolean success = false;
        try {
            String dataName = IndexFileNames.segmentFileName(state.segmentInfo.name, state.segmentSuffix,
                MultiVector11DocValuesFormat.DATA_EXTENSION);
            in = state.directory.openInput(dataName, state.context);
            CodecUtil.checkIndexHeader(in, MultiVector11DocValuesFormat.DATA_CODEC, MultiVector11DocValuesFormat.VERSION_START,
                MultiVector11DocValuesFormat.VERSION_CURRENT, state.segmentInfo.getId(), state.segmentSuffix);
            CodecUtil.retrieveChecksum(in);
            otherProducer = hasOtherTypes ? otherTypesFormat.fieldsProducer(state) : null;
            success = true;
        } finally {
            if (success == false) {
                IOUtils.closeWhileHandlingException(in, otherProducer);
            }
        }
        this.data = in;
        this.otherTypes = otherProducer;
    }

    private void readFields(ChecksumIndexInput meta, SegmentReadState state) throws IOException {
        for (int number = meta.readInt(); number != -1; number = meta.readInt()) {
            if (state.fieldInfos.fieldInfo(number) == null) {
                throw new CorruptIndexException("invalid field number " + number, meta);
            }
            int bytesPerVector = meta.readVInt();
            long dataOffset = meta.readLong(), dataLength = meta.readLong();
            long docsOffset = meta.readLong(), docsLength = 0;
            short jumpTableEntries = -1;
            byte denseRankPower = 0;
            if (docsOffset >= 0) {
                docsLength = meta.readLong();
                jumpTableEntries = meta.readShort();
                denseRankPower = meta.readByte();
            }
            int docsWithValue = meta.readInt(), minLength = meta.readInt(), maxLength = meta.readInt();
            long addressesOffset = -1, addressesLength = 0;
            DirectMonotonicReader.Meta addressesMeta = null;
            if (docsWithValue > 0 && minLength != maxLength) {
                addressesOffset = meta.readLong();
                addressesMeta = DirectMonotonicReader.loadMeta(meta, docsWithValue + 1L, ADDRESSES_BLOCK_SHIFT);
                addressesLength = meta.readLong();
            }
            fields.put(number, new Field(bytesPerVector, dataOffset, dataLength, docsOffset, docsLength, jumpTableEntries, denseRankPower,
                docsWithValue, minLength, maxLength, addressesOffset, addressesMeta, addressesLength));
        }
    }

    @Override
    public BinaryDocValues getBinary(FieldInfo info) throws IOException {
        Field field = fields.get(info.number);
        if (field == null || field.docsWithValue == 0) {
            return DocValues.emptyBinary();
        }
        IndexInput matrices = data.slice("matrices", field.dataOffset, field.dataLength);
        LongValues addresses = field.addressesMeta == null ? null
            : DirectMonotonicReader.getInstance(field.addressesMeta, data.randomAccessSlice(field.addressesOffset, field.addressesLength));
        IndexedDISI docs = field.docsOffset == MultiVector11DocValuesConsumer.ALL_DOCS ? null
            : new IndexedDISI(data, field.docsOffset, field.docsLength, field.jumpTableEntries, field.denseRankPower, field.docsWithValue);
        return new MatrixDocValues(matrices, addresses, field.minLength, field.maxLength, maxDoc, docs);
    }

    private DocValuesProducer otherTypes(FieldInfo field) {
        if (otherTypes == null) {
            throw new IllegalStateException("field [" + field.name + "] has no doc values of type " + field.getDocValuesType());
        }
        return otherTypes;
    }

    @Override
    public NumericDocValues getNumeric(FieldInfo field) throws IOException {
        return otherTypes(field).getNumeric(field);
    }

    @Override
    public SortedDocValues getSorted(FieldInfo field) throws IOException {
        return otherTypes(field).getSorted(field);
    }

    @Override
    public SortedNumericDocValues getSortedNumeric(FieldInfo field) throws IOException {
        return otherTypes(field).getSortedNumeric(field);
    }

    @Override
    public SortedSetDocValues getSortedSet(FieldInfo field) throws IOException {
        return otherTypes(field).getSortedSet(field);
    }

    @Override
    public DocValuesSkipper getSkipper(FieldInfo field) throws IOException {
        return fields.containsKey(field.number) || otherTypes == null ? null : otherTypes.getSkipper(field);
    }

    @Override
    public void checkIntegrity() throws IOException {
        CodecUtil.checksumEntireFile(data);
        if (otherTypes != null) {
            otherTypes.checkIntegrity();
        }
    }

    @Override
    public void close() throws IOException {
        IOUtils.close(data, otherTypes);
    }
}
