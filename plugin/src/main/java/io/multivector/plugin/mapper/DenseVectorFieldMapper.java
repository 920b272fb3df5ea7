package io.multivector.plugin.mapper;

import io.multivector.codec.dense.DenseVectorFormats;
import io.multivector.plugin.codec.MultiVectorIndexSettings;
import io.multivector.codec.VectorFieldAttributes;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.Query;
import org.opensearch.index.fielddata.IndexFieldData;
import org.opensearch.index.mapper.DerivedFieldGenerator;
import org.opensearch.index.mapper.FieldValueFetcher;
import org.opensearch.index.mapper.MappedFieldType;
import org.opensearch.index.mapper.MapperParsingException;
import org.opensearch.index.mapper.ParametrizedFieldMapper;
import org.opensearch.index.mapper.ParseContext;
import org.opensearch.index.mapper.TextSearchInfo;
import org.opensearch.index.mapper.ValueFetcher;
import org.opensearch.index.query.QueryShardContext;
import org.opensearch.index.query.QueryShardException;
import org.opensearch.search.lookup.SearchLookup;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code dense_vector}: one vector per document in its own named space (one field per embedding model), on
 * Lucene's KNN vector fields with per-field HNSW parameters, similarity (including l1) and precision.
 */
public final class DenseVectorFieldMapper extends ParametrizedFieldMapper {

    public static final String CONTENT_TYPE = "dense_vector";
    public static final int MAX_DIMS = 4096;

    private static DenseVectorFieldMapper toType(Object in) {
        return (DenseVectorFieldMapper) in;
    }

    public static final class Builder extends ParametrizedFieldMapper.Builder {
        private final Parameter<Integer> dims = Parameter.intParam("dims", false, m -> toType(m).fieldType().dims(), -1).alwaysSerialize();
        private final Parameter<String> similarity = Parameter.restrictedStringParam("similarity", false,
            m -> toType(m).fieldType().similarity(), "cosine", "dot_product", "l2", "l1").alwaysSerialize();
        private final Parameter<DenseIndexOptions> indexOptions;
        private final Parameter<String> model = Parameter.stringParam("model", true, m -> toType(m).fieldType().model(), null)
            .acceptsNull();
        private final Parameter<Map<String, String>> meta = Parameter.metaParam();
        private final boolean codecEnabled;

        public Builder(String name, boolean codecEnabled) {
            super(name);
            this.codecEnabled = codecEnabled;
            this.indexOptions = new Parameter<>("index_options", false, () -> DenseIndexOptions.DEFAULT,
                (n, c, o) -> DenseIndexOptions.parse(name, o), m -> toType(m).fieldType().indexOptions())
                .setSerializer((builder, n, v) -> {
                    builder.field(n);
                    v.toXContent(builder, null);
                }, DenseIndexOptions::toString);
            dims.setValidator(VectorParsing.rangeValidator("dims", name, 1, MAX_DIMS));
            rejected = RejectedParameters.of(CONTENT_TYPE, name, RejectedParameters.common());
        }

        private final List<Parameter<?>> rejected;

        @Override
        protected List<Parameter<?>> getParameters() {
            List<Parameter<?>> parameters = new java.util.ArrayList<>(List.of(dims, similarity, indexOptions, model, meta));
            parameters.addAll(rejected);
            return parameters;
        }

        @Override
        public DenseVectorFieldMapper build(BuilderContext context) {
            if (codecEnabled == false) {
                throw new MapperParsingException(MultiVectorIndexSettings.codecRequiredMessage(CONTENT_TYPE, name));
            }
            DenseIndexOptions options = indexOptions.getValue();
            try {
                // fails early, at mapping time, for combinations the formats cannot store (e.g. l1 with int8)
                DenseVectorFormats.forField(similarity.getValue(), options.elementType(), options.m(), options.efConstruction());
            } catch (IllegalArgumentException e) {
                throw new MapperParsingException("field [" + name + "]: " + e.getMessage());
            }
            DenseVectorFieldType type = new DenseVectorFieldType(buildFullName(context), dims.getValue(), similarity.getValue(), options,
                model.getValue(), meta.getValue());
            return new DenseVectorFieldMapper(name, type, multiFieldsBuilder.build(this, context), copyTo.build());
        }
    }

    public static final TypeParser PARSER = new TypeParser(
        (name, context) -> new Builder(name, MultiVectorIndexSettings.codecEnabled(context.getSettings())));

    public static final class DenseVectorFieldType extends MappedFieldType implements VectorFieldType {
        private final int dims;
        private final String similarity;
        private final DenseIndexOptions indexOptions;
        private final String model;
        private final FieldType luceneType;

        DenseVectorFieldType(String name, int dims, String similarity, DenseIndexOptions indexOptions, String model, Map<String, String> meta) {
            super(name, true, false, false, TextSearchInfo.NONE, meta);
            this.dims = dims;
            this.similarity = similarity;
            this.indexOptions = indexOptions;
            this.model = model;
            this.luceneType = new FieldType(KnnFloatVectorField.createFieldType(dims, DenseVectorFormats.luceneSimilarity(similarity)));
            VectorFieldAttributes.markDense(luceneType); // the segment can then restore this field's vectors into _source
            luceneType.freeze();
        }

        @Override
        public int dims() {
            return dims;
        }

        public String similarity() {
            return similarity;
        }

        public VectorSimilarityFunction luceneSimilarity() {
            return luceneType.vectorSimilarityFunction();
        }

        public DenseIndexOptions indexOptions() {
            return indexOptions;
        }

        @Override
        public String model() {
            return model;
        }

        @Override
        public boolean isMultiVector() {
            return false;
        }

        @Override
        public String typeName() {
            return CONTENT_TYPE;
        }

        @Override
        public Query existsQuery(QueryShardContext context) {
            return new FieldExistsQuery(name());
        }

        @Override
        public ValueFetcher valueFetcher(QueryShardContext context, SearchLookup searchLookup, String format) {
            return VectorFieldData.valueFetcher(name(), LeafVectors::dense);
        }

        @Override
        public IndexFieldData.Builder fielddataBuilder(String fullyQualifiedIndexName, Supplier<SearchLookup> searchLookup) {
            return VectorFieldData.builder(name(), LeafVectors::dense);
        }

        @Override
        public Query termQuery(Object value, QueryShardContext context) {
            throw new QueryShardException(context, "field [" + name() + "] of type [" + CONTENT_TYPE + "] is searched with the [vector] query");
        }
    }

    private DenseVectorFieldMapper(String simpleName, DenseVectorFieldType type, MultiFields multiFields, CopyTo copyTo) {
        super(simpleName, type, multiFields, copyTo);
    }

    @Override
    public DenseVectorFieldType fieldType() {
        return (DenseVectorFieldType) super.fieldType();
    }

    /** Vectors can be left out of the stored _source ({@code index.derived_source.enabled}): they come back from the codec. */
    @Override
    protected void canDeriveSourceInternal() {}

    @Override
    protected DerivedFieldGenerator derivedFieldGenerator() {
        FieldValueFetcher fromCodec = VectorFieldData.derivedFetcher(simpleName(), fieldType().name(), LeafVectors::dense);
        return new DerivedFieldGenerator(mappedFieldType, fromCodec, fromCodec);
    }

    @Override
    public boolean parsesArrayValue() {
        return true;
    }

    @Override
    protected void parseCreateField(ParseContext context) throws IOException {
        if (context.parser().currentToken() == org.opensearch.core.xcontent.XContentParser.Token.VALUE_NULL) {
            return;
        }
        DenseVectorFieldType type = fieldType();
        if (context.doc().getByKey(type.name()) != null) {
            throw new IllegalArgumentException("field [" + type.name() + "] takes one vector per document");
        }
        float[] vector = VectorParsing.parseVector(context.parser(), type.dims);
        if (VectorParsing.isZero(vector) && type.similarity.equals("cosine")) {
            throw new IllegalArgumentException("a zero vector has no direction: similarity [cosine] cannot score it");
        }
        context.doc().addWithKey(type.name(), new KnnFloatVectorField(type.name(), vector, type.luceneType));
    }

    @Override
    public ParametrizedFieldMapper.Builder getMergeBuilder() {
        return new Builder(simpleName(), true).init(this);
    }

    @Override
    protected String contentType() {
        return CONTENT_TYPE;
    }
}
