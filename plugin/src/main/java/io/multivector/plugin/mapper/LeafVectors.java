package io.multivector.plugin.mapper;

import io.multivector.codec.multivector.ElementType;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;

import java.io.IOException;

/**
 * The vectors of one field in one segment, by document, read from the plugin's formats (never from
 * {@code _source}): what {@code fields}, {@code docvalue_fields} and derived sources return. Exact for float,
 * rounded as stored for the other element types.
 */
@FunctionalInterface
public interface LeafVectors {

    /** {@code float[][]} for a multi_vector field, {@code float[]} for a dense_vector one; null when the document has none. */
    Object get(int doc) throws IOException;

    static LeafVectors matrices(LeafReader reader, String field, int dims, ElementType elementType) throws IOException {
        return new LeafVectors() {
            private BinaryDocValues values = DocValues.getBinary(reader, field);

            @Override
            public Object get(int doc) throws IOException {
                if (values.docID() > doc) { // doc values iterate forward only
                    values = DocValues.getBinary(reader, field);
                }
                return values.advanceExact(doc) ? elementType.decode(values.binaryValue(), dims) : null;
            }
        };
    }

    static LeafVectors dense(LeafReader reader, String field) throws IOException {
        FloatVectorValues values = reader.getFloatVectorValues(field);
        if (values == null) {
            return doc -> null;
        }
        return new LeafVectors() {
            private KnnVectorValues.DocIndexIterator iterator = values.iterator();

            @Override
            public Object get(int doc) throws IOException {
                if (iterator.docID() > doc) {
                    iterator = values.iterator();
                }
                int at = iterator.docID() < doc ? iterator.advance(doc) : iterator.docID();
                return at == doc ? values.vectorValue(iterator.index()).clone() : null;
            }
        };
    }
}
