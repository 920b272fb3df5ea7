package io.multivector.plugin.mapper;

import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.SortField;
import org.opensearch.common.CheckedBiFunction;
import org.opensearch.common.util.BigArrays;
import org.opensearch.index.fielddata.IndexFieldData;
import org.opensearch.index.fielddata.LeafFieldData;
import org.opensearch.index.fielddata.ScriptDocValues;
import org.opensearch.index.fielddata.SortedBinaryDocValues;
import org.opensearch.index.mapper.DocValueFetcher;
import org.opensearch.index.mapper.FieldValueFetcher;
import org.opensearch.index.mapper.ValueFetcher;
import org.opensearch.search.DocValueFormat;
import org.opensearch.search.MultiValueMode;
import org.opensearch.search.aggregations.support.CoreValuesSourceType;
import org.opensearch.search.aggregations.support.ValuesSourceType;
import org.opensearch.search.lookup.SourceLookup;
import org.opensearch.search.sort.BucketedSort;
import org.opensearch.search.sort.SortOrder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Every way OpenSearch reads a vector field's values, over one {@link LeafVectors} source: {@code docvalue_fields}
 * (this field data), {@code fields} ({@link #valueFetcher}) and derived sources ({@link #derivedFetcher}). The
 * vectors are not sortable, aggregatable or readable by scripts: those are a 400 that says to use the vector query.
 */
final class VectorFieldData implements IndexFieldData<LeafFieldData> {

    /** Opens a field's vectors in one segment. */
    interface Source extends CheckedBiFunction<LeafReader, String, LeafVectors, IOException> {}

    private final String field;
    private final Source source;

    private VectorFieldData(String field, Source source) {
        this.field = field;
        this.source = source;
    }

    static IndexFieldData.Builder builder(String field, Source source) {
        return (cache, breakers) -> new VectorFieldData(field, source);
    }

    static ValueFetcher valueFetcher(String field, Source source) {
        return new ValueFetcher() {
            private LeafVectors leaf;

            @Override
            public void setNextReader(LeafReaderContext context) {
                try {
                    leaf = source.apply(context.reader(), field);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public List<Object> fetchValues(SourceLookup lookup) throws IOException {
                return leaf == null ? List.of() : values(leaf.get(lookup.docId()));
            }
        };
    }

    static FieldValueFetcher derivedFetcher(String simpleName, String field, Source source) {
        return new FieldValueFetcher(simpleName) {
            @Override
            public List<Object> fetch(LeafReader reader, int docId) throws IOException {
                return values(source.apply(reader, field).get(docId));
            }
        };
    }

    /** A document's values as OpenSearch lists them: one per token vector of a matrix, the vector of a dense field. */
    static List<Object> values(Object vectors) {
        if (vectors instanceof float[][] matrix) {
            return List.of((Object[]) matrix);
        }
        return vectors == null ? List.of() : List.of(vectors);
    }

    @Override
    public String getFieldName() {
        return field;
    }

    @Override
    public ValuesSourceType getValuesSourceType() {
        return CoreValuesSourceType.BYTES;
    }

    @Override
    public LeafFieldData load(LeafReaderContext context) {
        LeafVectors leaf;
        try {
            leaf = source.apply(context.reader(), field);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new LeafFieldData() {
            @Override
            public ScriptDocValues<?> getScriptValues() {
                throw unsupported("scripts");
            }

            @Override
            public SortedBinaryDocValues getBytesValues() {
                throw unsupported("aggregations");
            }

            @Override
            public DocValueFetcher.Leaf getLeafValueFetcher(DocValueFormat format) {
                return new DocValueFetcher.Leaf() {
                    private List<Object> values = List.of();
                    private int next;

                    @Override
                    public boolean advanceExact(int doc) throws IOException {
                        values = values(leaf.get(doc));
                        next = 0;
                        return values.isEmpty() == false;
                    }

                    @Override
                    public int docValueCount() {
                        return values.size();
                    }

                    @Override
                    public Object nextValue() {
                        return values.get(next++);
                    }
                };
            }

            @Override
            public long ramBytesUsed() {
                return 0;
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public LeafFieldData loadDirect(LeafReaderContext context) {
        return load(context);
    }

    @Override
    public SortField sortField(Object missingValue, MultiValueMode sortMode, XFieldComparatorSource.Nested nested, boolean reverse) {
        throw unsupported("sorting");
    }

    @Override
    public BucketedSort newBucketedSort(BigArrays bigArrays, Object missingValue, MultiValueMode sortMode, XFieldComparatorSource.Nested nested,
                                       SortOrder sortOrder, DocValueFormat format, int bucketSize, BucketedSort.ExtraData extra) {
        throw unsupported("sorting");
    }

    private IllegalArgumentException unsupported(String what) {
        return new IllegalArgumentException("field [" + field + "] holds vectors: " + what + " cannot use it; search it with the [vector] query"
            + " and read it with [fields], [docvalue_fields] or [_source]");
    }
}
