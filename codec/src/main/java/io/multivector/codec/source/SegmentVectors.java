package io.multivector.codec.source;

import io.multivector.codec.VectorFieldAttributes;
import io.multivector.codec.multivector.MultiVector10DocValuesFormat;
import io.multivector.codec.multivector.MultiVector11DocValuesFormat;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.DocValuesProducer;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.perfield.PerFieldDocValuesFormat;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DocValuesType;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.SegmentInfo;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.util.IOUtils;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The vectors of one segment's plugin fields, read by document to restore sources. The doc-values producer and
 * vectors reader are opened on the first restore (most segments' sources are never read), shared by every clone
 * of the stored-fields reader, and closed with it.
 */
final class SegmentVectors implements Closeable {

    private final Directory directory;
    private final SegmentInfo segment;
    private final FieldInfos fieldInfos;
    final Map<String, FieldInfo> multiVectorFields = new HashMap<>();
    final Map<String, FieldInfo> denseFields = new HashMap<>();
    private DocValuesProducer docValues;
    private KnnVectorsReader vectors;
    private boolean opened;

    private SegmentVectors(Directory directory, SegmentInfo segment, FieldInfos fieldInfos) {
        this.directory = directory;
        this.segment = segment;
        this.fieldInfos = fieldInfos;
        for (FieldInfo info : fieldInfos) {
            if (VectorFieldAttributes.isMultiVector(info) && info.getDocValuesType() == DocValuesType.BINARY) {
                multiVectorFields.put(info.name, info);
            } else if (VectorFieldAttributes.isDense(info)) {
                denseFields.put(info.name, info);
            }
        }
    }

    /** Null when the segment has no field of the plugin: its sources were stored whole. */
    static SegmentVectors of(Directory directory, SegmentInfo segment, FieldInfos fieldInfos) {
        SegmentVectors vectors = new SegmentVectors(directory, segment, fieldInfos);
        return vectors.multiVectorFields.isEmpty() && vectors.denseFields.isEmpty() ? null : vectors;
    }

    private synchronized void open() throws IOException {
        if (opened) {
            return;
        }
        Codec codec = segment.getCodec();
        // only the fields of the plugin's doc-values formats (so no other format is opened twice); the per-field
        // formats check that every field of their files is in the infos they get
        DocValuesProducer dv = null;
        KnnVectorsReader knn = null;
        try {
            if (multiVectorFields.isEmpty() == false) {
                dv = codec.docValuesFormat().fieldsProducer(readState(SegmentVectors::inMultiVectorFormat));
            }
            if (denseFields.isEmpty() == false) {
                knn = codec.knnVectorsFormat().fieldsReader(readState(info -> info.getVectorDimension() > 0));
            }
        } catch (IOException | RuntimeException e) {
            IOUtils.closeWhileHandlingException(dv, knn);
            throw e;
        }
        docValues = dv;
        vectors = knn;
        opened = true;
    }

    private static boolean inMultiVectorFormat(FieldInfo info) {
        String format = info.getAttribute(PerFieldDocValuesFormat.PER_FIELD_FORMAT_KEY);
        return MultiVector11DocValuesFormat.NAME.equals(format) || MultiVector10DocValuesFormat.NAME.equals(format);
    }

    private SegmentReadState readState(Predicate<FieldInfo> fields) {
        List<FieldInfo> kept = new ArrayList<>();
        for (FieldInfo info : fieldInfos) {
            if (fields.test(info)) {
                kept.add(info);
            }
        }
        return new SegmentReadState(directory, segment, new FieldInfos(kept.toArray(FieldInfo[]::new)), IOContext.DEFAULT);
    }

    /** Positioned readers for one stored-fields reader instance (not thread-safe, like the reader). */
    Cursor cursor() {
        return new Cursor();
    }

    final class Cursor {
        private final Map<String, PositionedMatrix> matrices = new HashMap<>();
        private final Map<String, FloatVectorValues> denseValues = new HashMap<>();
        private final Map<String, KnnVectorValues.DocIndexIterator> denseIterators = new HashMap<>();

        /** Whether any plugin field has a value for the document: if not, its source has no mask. */
        boolean hasVectors(int doc) throws IOException {
            for (String field : multiVectorFields.keySet()) {
                if (matrix(field, doc) != null) {
                    return true;
                }
            }
            for (String field : denseFields.keySet()) {
                if (dense(field, doc) != null) {
                    return true;
                }
            }
            return false;
        }

        /** {@code float[][]} for a multi-vector field, {@code float[]} for a dense one, null otherwise. */
        Object vectors(String field, int doc) throws IOException {
            if (multiVectorFields.containsKey(field)) {
                BinaryDocValues values = matrix(field, doc);
                FieldInfo info = multiVectorFields.get(field);
                return values == null ? null
                    : VectorFieldAttributes.elementType(info).decode(values.binaryValue(), VectorFieldAttributes.dims(info));
            }
            if (denseFields.containsKey(field)) {
                FloatVectorValues values = dense(field, doc);
                return values == null ? null : values.vectorValue(denseIterators.get(field).index()).clone();
            }
            return null;
        }

        private BinaryDocValues matrix(String field, int doc) throws IOException {
            open();
            PositionedMatrix at = matrices.get(field);
            if (at == null || at.values.docID() > doc) { // doc values iterate forward only
                at = new PositionedMatrix(docValues.getBinary(multiVectorFields.get(field)));
                matrices.put(field, at);
            }
            if (at.values.docID() != doc) {
                at.exists = at.values.advanceExact(doc);
            }
            return at.exists ? at.values : null;
        }

        private FloatVectorValues dense(String field, int doc) throws IOException {
            open();
            KnnVectorValues.DocIndexIterator iterator = denseIterators.get(field);
            if (iterator == null || iterator.docID() > doc) {
                FloatVectorValues values = vectors.getFloatVectorValues(field);
                if (values == null) {
                    return null;
                }
                iterator = values.iterator();
                denseValues.put(field, values);
                denseIterators.put(field, iterator);
            }
            int at = iterator.docID() < doc ? iterator.advance(doc) : iterator.docID();
            return at == doc ? denseValues.get(field) : null;
        }
    }

    private static final class PositionedMatrix {
        final BinaryDocValues values;
        boolean exists;

        PositionedMatrix(BinaryDocValues values) {
            this.values = values;
        }
    }

    @Override
    public synchronized void close() throws IOException {
        IOUtils.close(docValues, vectors);
    }
}
