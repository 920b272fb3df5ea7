package io.multivector.codec.source;

import org.apache.lucene.codecs.StoredFieldsFormat;
import org.apache.lucene.codecs.StoredFieldsReader;
import org.apache.lucene.codecs.StoredFieldsWriter;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.MergeState;
import org.apache.lucene.index.SegmentInfo;
import org.apache.lucene.index.StoredFieldDataInput;
import org.apache.lucene.index.StoredFieldVisitor;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.IOUtils;

import java.io.IOException;
import java.util.function.Predicate;

/**
 * Stored fields of another format, except that the vectors of the plugin's fields are not kept in the stored
 * source: they are masked on write and put back on read from the fields' own formats (doc values, vectors), so a
 * vector is stored once. Segments without such fields, and sources written without masks, read as they are.
 */
public final class VectorSourceStoredFieldsFormat extends StoredFieldsFormat {

    private final StoredFieldsFormat delegate;
    private final Predicate<String> isVectorField;
    private final SourceVectors sourceVectors;

    /**
     * @param isVectorField which fields' values to mask on write (the mapping's vector fields); reading needs no
     *                      mapping, the segment's field infos tell
     */
    public VectorSourceStoredFieldsFormat(StoredFieldsFormat delegate, Predicate<String> isVectorField, SourceVectors sourceVectors) {
        this.delegate = delegate;
        this.isVectorField = isVectorField;
        this.sourceVectors = sourceVectors;
    }

    @Override
    public StoredFieldsReader fieldsReader(Directory directory, SegmentInfo si, FieldInfos fn, IOContext context) throws IOException {
        StoredFieldsReader in = delegate.fieldsReader(directory, si, fn, context);
        SegmentVectors vectors = sourceVectors == null ? null : SegmentVectors.of(directory, si, fn);
        return vectors == null ? in : new Reader(in, vectors, sourceVectors, true);
    }

    @Override
    public StoredFieldsWriter fieldsWriter(Directory directory, SegmentInfo si, IOContext context) throws IOException {
        StoredFieldsWriter out = delegate.fieldsWriter(directory, si, context);
        return sourceVectors == null ? out : new Writer(out, isVectorField, sourceVectors);
    }

    private static final class Writer extends StoredFieldsWriter {
        private final StoredFieldsWriter out;
        private final Predicate<String> isVectorField;
        private final SourceVectors sourceVectors;

        Writer(StoredFieldsWriter out, Predicate<String> isVectorField, SourceVectors sourceVectors) {
            this.out = out;
            this.isVectorField = isVectorField;
            this.sourceVectors = sourceVectors;
        }

        @Override
        public void writeField(FieldInfo info, BytesRef value) throws IOException {
            if (SourceVectors.SOURCE_FIELD.equals(info.name)) {
                BytesRef stripped = sourceVectors.strip(value, isVectorField);
                out.writeField(info, stripped == null ? value : stripped);
            } else {
                out.writeField(info, value);
            }
        }

        /** Merged segments copy their sources as stored (already masked): the wrapped readers are unwrapped. */
        @Override
        public int merge(MergeState state) throws IOException {
            StoredFieldsReader[] readers = state.storedFieldsReaders.clone();
            for (int i = 0; i < readers.length; i++) {
                if (readers[i] instanceof Reader reader) {
                    readers[i] = reader.in;
                }
            }
            MergeState unwrapped = new MergeState(state.docMaps, state.segmentInfo, state.mergeFieldInfos, readers,
                state.termVectorsReaders, state.normsProducers, state.docValuesProducers, state.fieldInfos, state.liveDocs,
                state.fieldsProducers, state.pointsReaders, state.knnVectorsReaders, state.maxDocs, state.infoStream,
                state.intraMergeTaskExecutor, state.needsIndexSort);
            return out.merge(unwrapped);
        }

        @Override
        public void startDocument() throws IOException {
            out.startDocument();
        }

        @Override
        public void finishDocument() throws IOException {
            out.finishDocument();
        }

        @Override
        public void writeField(FieldInfo info, int value) throws IOException {
            out.writeField(info, value);
        }

        @Override
        public void writeField(FieldInfo info, long value) throws IOException {
            out.writeField(info, value);
        }

        @Override
        public void writeField(FieldInfo info, float value) throws IOException {
            out.writeField(info, value);
        }

        @Override
        public void writeField(FieldInfo info, double value) throws IOException {
            out.writeField(info, value);
        }

        /** Index sorting copies flushed documents through this method. */
        @Override
        public void writeField(FieldInfo info, StoredFieldDataInput value) throws IOException {
            if (SourceVectors.SOURCE_FIELD.equals(info.name)) {
                byte[] bytes = new byte[value.getLength()];
                value.getDataInput().readBytes(bytes, 0, bytes.length);
                writeField(info, new BytesRef(bytes));
            } else {
                out.writeField(info, value);
            }
        }

        @Override
        public void writeField(FieldInfo info, String value) throws IOException {
            out.writeField(info, value);
        }

        @Override
        public void finish(int numDocs) throws IOException {
            out.finish(numDocs);
        }

        @Override
        public void close() throws IOException {
            out.close();
        }

        @Override
        public long ramBytesUsed() {
            return out.ramBytesUsed();
        }
    }

    private static final class Reader extends StoredFieldsReader {
        private final StoredFieldsReader in;
        private final SegmentVectors vectors;
        private final SegmentVectors.Cursor cursor;
        private final SourceVectors sourceVectors;
        private final boolean ownsVectors;

        Reader(StoredFieldsReader in, SegmentVectors vectors, SourceVectors sourceVectors, boolean ownsVectors) {
            this.in = in;
            this.vectors = vectors;
            this.cursor = vectors.cursor();
            this.sourceVectors = sourceVectors;
            this.ownsVectors = ownsVectors;
        }

        @Override
        public void document(int docID, StoredFieldVisitor visitor) throws IOException {
            in.document(docID, new StoredFieldVisitor() {
                @Override
                public Status needsField(FieldInfo info) throws IOException {
                    return visitor.needsField(info);
                }

                @Override
                public void binaryField(FieldInfo info, StoredFieldDataInput value) throws IOException {
                    if (SourceVectors.SOURCE_FIELD.equals(info.name)) {
                        super.binaryField(info, value); // reads the bytes, then the method below
                    } else {
                        visitor.binaryField(info, value);
                    }
                }

                @Override
                public void binaryField(FieldInfo info, byte[] value) throws IOException {
                    if (SourceVectors.SOURCE_FIELD.equals(info.name) && cursor.hasVectors(docID)) {
                        BytesRef restored = sourceVectors.restore(new BytesRef(value), field -> vectorsOrFail(field, docID));
                        if (restored != null) {
                            value = BytesRef.deepCopyOf(restored).bytes;
                        }
                    }
                    visitor.binaryField(info, value);
                }

                @Override
                public void stringField(FieldInfo info, String value) throws IOException {
                    visitor.stringField(info, value);
                }

                @Override
                public void intField(FieldInfo info, int value) throws IOException {
                    visitor.intField(info, value);
                }

                @Override
                public void longField(FieldInfo info, long value) throws IOException {
                    visitor.longField(info, value);
                }

                @Override
                public void floatField(FieldInfo info, float value) throws IOException {
                    visitor.floatField(info, value);
                }

                @Override
                public void doubleField(FieldInfo info, double value) throws IOException {
                    visitor.doubleField(info, value);
                }
            });
        }

        private Object vectorsOrFail(String field, int docID) {
            try {
                return cursor.vectors(field, docID);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void prefetch(int docID) throws IOException {
            in.prefetch(docID);
        }

        @Override
        public StoredFieldsReader clone() {
            return new Reader(in.clone(), vectors, sourceVectors, false);
        }

        @Override
        public StoredFieldsReader getMergeInstance() {
            return new Reader(in.getMergeInstance(), vectors, sourceVectors, false);
        }

        @Override
        public void checkIntegrity() throws IOException {
            in.checkIntegrity();
        }

        @Override
        public void close() throws IOException {
            if (ownsVectors) {
                IOUtils.close(in, vectors);
            } else {
                in.close();
            }
        }
    }
}
