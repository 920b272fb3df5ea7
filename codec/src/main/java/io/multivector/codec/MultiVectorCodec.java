package io.multivector.codec;

import io.multivector.codec.multivector.MultiVector11DocValuesFormat;
import io.multivector.codec.source.SourceVectors;
import io.multivector.codec.source.VectorSourceStoredFieldsFormat;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.DocValuesFormat;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.StoredFieldsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.perfield.PerFieldDocValuesFormat;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;

import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A codec over another one that gives the plugin's vector fields their formats: multi-vector fields get
 * {@link MultiVector11DocValuesFormat}, dense vector fields the HNSW format their mapping asks for. Every other
 * field keeps the wrapped codec's formats. Per-field formats are recorded by name in each segment, so the
 * no-argument instance that SPI creates reads every segment this codec wrote.
 *
 * <p>Version 11 stores vectors once: the stored {@code _source} keeps a mask in place of each vector value and
 * reads back with the vectors restored from their formats ({@link VectorSourceStoredFieldsFormat}). Segments of
 * version 10 (sources stored whole) are read by {@link MultiVectorCodec10}.
 */
public final class MultiVectorCodec extends FilterCodec {

    public static final String NAME = "MultiVectorCodec11";
    public static final int MAX_DENSE_DIMS = 4096;

    private final DocValuesFormat docValuesFormat;
    private final KnnVectorsFormat knnVectorsFormat;
    private final StoredFieldsFormat storedFieldsFormat;

    /** For reading segments (SPI). */
    public MultiVectorCodec() {
        this(new Lucene104Codec(), field -> false, field -> null);
    }

    /**
     * @param multiVectorFields which fields are multi-vector fields
     * @param denseFormats      the vectors format of a dense vector field of the plugin, or null for other fields
     */
    public MultiVectorCodec(Codec delegate, Predicate<String> multiVectorFields, Function<String, KnnVectorsFormat> denseFormats) {
        super(NAME, delegate);
        this.storedFieldsFormat = new VectorSourceStoredFieldsFormat(delegate.storedFieldsFormat(),
            field -> multiVectorFields.test(field) || denseFormats.apply(field) != null, SourceVectors.load());
        DocValuesFormat multiVector = new MultiVector11DocValuesFormat();
        DocValuesFormat delegateDocValues = delegate.docValuesFormat();
        KnnVectorsFormat delegateVectors = delegate.knnVectorsFormat();
        this.docValuesFormat = new PerFieldDocValuesFormat() {
            @Override
            public DocValuesFormat getDocValuesFormatForField(String field) {
                if (multiVectorFields.test(field)) {
                    return multiVector;
                }
                return delegateDocValues instanceof PerFieldDocValuesFormat perField ? perField.getDocValuesFormatForField(field)
                    : delegateDocValues;
            }
        };
        this.knnVectorsFormat = new PerFieldKnnVectorsFormat() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                KnnVectorsFormat format = denseFormats.apply(field);
                if (format != null) {
                    return format;
                }
                return delegateVectors instanceof PerFieldKnnVectorsFormat perField ? perField.getKnnVectorsFormatForField(field)
                    : delegateVectors;
            }

            /** Lucene's HNSW formats guard at 1024 dimensions; the plugin's dense fields are mapped up to 4096. */
            @Override
            public int getMaxDimensions(String field) {
                return denseFormats.apply(field) != null ? MAX_DENSE_DIMS : getKnnVectorsFormatForField(field).getMaxDimensions(field);
            }
        };
    }

    @Override
    public DocValuesFormat docValuesFormat() {
        return docValuesFormat;
    }

    @Override
    public KnnVectorsFormat knnVectorsFormat() {
        return knnVectorsFormat;
    }

    @Override
    public StoredFieldsFormat storedFieldsFormat() {
        return storedFieldsFormat;
    }
}
