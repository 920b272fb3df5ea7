package io.multivector.plugin.mapper;

import io.multivector.codec.candidates.CandidateField;
import io.multivector.codec.candidates.FixedDimensionalEncoding;
import io.multivector.codec.multivector.ElementType;
import io.multivector.codec.multivector.MultiVectorField;
import io.multivector.codec.multivector.TokenSimilarity;
import io.multivector.plugin.codec.MultiVectorIndexSettings;
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
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code multi_vector}: one matrix of token vectors per document (late interaction: ColBERT, ColPali),
 * stored by the codec's multi-vector format at the mapped precision and scored by MaxSim.
 */
public final class MultiVectorFieldMapper extends ParametrizedFieldMapper {

    public static final String CONTENT_TYPE = "multi_vector";
    public static final int MAX_DIMS = 4096;

    private static MultiVectorFieldMapper toType(Object in) {
        return (MultiVectorFieldMapper) in;
    }

    public static final class Builder extends ParametrizedFieldMapper.Builder {
        private final Parameter<Integer> dims = Parameter.intParam("dims", false, m -> toType(m).fieldType().dims(), -1)
            .alwaysSerialize();
        private final Parameter<String> similarity = Parameter.restrictedStringParam("similarity", false,
            m -> toType(m).fieldType().similarityName(), "dot_product", "cosine", "l2").alwaysSerialize();
        private final Parameter<String> elementType = Parameter.restrictedStringParam("element_type", false,
            m -> toType(m).fieldType().elementTypeName(), "float", "float16", "int8", "bit").alwaysSerialize();
        private final Parameter<Integer> maxVectors = Parameter.intParam("max_vectors", false, m -> toType(m).fieldType().maxVectors(), 2048);
        private final Parameter<String> model = Parameter.stringParam("model", true, m -> toType(m).fieldType().model(), null)
            .acceptsNull();
        private final Parameter<Map<String, String>> meta = Parameter.metaParam();
        /**
         * Updatable: documents indexed after the change get encodings under the new options; segments written before
         * (or whose documents lack them) are scored exactly until they are reindexed.
         */
        private final Parameter<MultiVectorIndexOptions> indexOptions;
        private final boolean codecEnabled;

        public Builder(String name, boolean codecEnabled) {
            super(name);
            this.codecEnabled = codecEnabled;
            dims.setValidator(VectorParsing.rangeValidator("dims", name, 1, MAX_DIMS));
            maxVectors.setValidator(VectorParsing.rangeValidator("max_vectors", name, 1, 65536));
            indexOptions = new Parameter<MultiVectorIndexOptions>("index_options", true, () -> null,
                (n, c, o) -> o == null ? null : MultiVectorIndexOptions.parse(name, dims.getValue(), o),
                m -> toType(m).fieldType().indexOptions())
                .setSerializer((builder, n, v) -> {
                    if (v != null) {
                        builder.field(n);
                        v.toXContent(builder, null);
                    }
                }, v -> String.valueOf(v))
                .acceptsNull();
            rejected = RejectedParameters.of(CONTENT_TYPE, name, RejectedParameters.common());
        }

        private final List<Parameter<?>> rejected;

        @Override
        protected List<Parameter<?>> getParameters() {
            List<Parameter<?>> parameters = new java.util.ArrayList<>(List.of(dims, similarity, elementType, maxVectors, model, indexOptions, meta));
            parameters.addAll(rejected);
            return parameters;
        }

        @Override
        public MultiVectorFieldMapper build(BuilderContext context) {
            if (codecEnabled == false) {
                throw new MapperParsingException(MultiVectorIndexSettings.codecRequiredMessage(CONTENT_TYPE, name));
            }
            TokenSimilarity tokenSimilarity = TokenSimilarity.valueOf(similarity.getValue().toUpperCase(Locale.ROOT));
            if (indexOptions.getValue() != null && tokenSimilarity == TokenSimilarity.L2) {
                throw new MapperParsingException("[index_options] of field [" + name + "]: [" + MultiVectorIndexOptions.TYPE
                    + "] approximates dot-product MaxSim: it takes similarity [dot_product] or [cosine], not [l2]");
            }
            MultiVectorFieldType type = new MultiVectorFieldType(buildFullName(context), dims.getValue(),
                ElementType.valueOf(elementType.getValue().toUpperCase(Locale.ROOT)), tokenSimilarity, maxVectors.getValue(),
                model.getValue(), indexOptions.getValue(), meta.getValue());
            return new MultiVectorFieldMapper(name, type, multiFieldsBuilder.build(this, context), copyTo.build(), this);
        }
    }

    public static final TypeParser PARSER = new TypeParser(
        (name, context) -> new Builder(name, MultiVectorIndexSettings.codecEnabled(context.getSettings())));

    public static final class MultiVectorFieldType extends MappedFieldType implements VectorFieldType {
        private final int dims;
        private final ElementType elementType;
        private final TokenSimilarity similarity;
        private final int maxVectors;
        private final String model;
        private final MultiVectorIndexOptions indexOptions;
        /** Built once per mapping: its hyperplanes and projections are drawn from the seed. */
        private final FixedDimensionalEncoding encoding;

        MultiVectorFieldType(String name, int dims, ElementType elementType, TokenSimilarity similarity, int maxVectors, String model,
                             MultiVectorIndexOptions indexOptions, Map<String, String> meta) {
            super(name, false, false, true, TextSearchInfo.NONE, meta);
            this.indexOptions = indexOptions;
            this.encoding = indexOptions == null ? null : indexOptions.encoding(dims);
            this.dims = dims;
            this.elementType = elementType;
            this.similarity = similarity;
            this.maxVectors = maxVectors;
            this.model = model;
        }

        @Override
        public int dims() {
            return dims;
        }

        public ElementType elementType() {
            return elementType;
        }

        public TokenSimilarity similarity() {
            return similarity;
        }

        String similarityName() {
            return similarity.name().toLowerCase(Locale.ROOT);
        }

        String elementTypeName() {
            return elementType.name().toLowerCase(Locale.ROOT);
        }

        /** The candidate index's options, or null: every {@code vector} query on the field is exact. */
        public MultiVectorIndexOptions indexOptions() {
            return indexOptions;
        }

        public FixedDimensionalEncoding encoding() {
            return encoding;
        }

        public int maxVectors() {
            return maxVectors;
        }

        @Override
        public String model() {
            return model;
        }

        @Override
        public boolean isMultiVector() {
            return true;
        }

        @Override
        public String typeName() {
            return CONTENT_TYPE;
        }

        VectorFieldData.Source vectors() {
            return (reader, field) -> LeafVectors.matrices(reader, field, dims, elementType);
        }

        @Override
        public ValueFetcher valueFetcher(QueryShardContext context, SearchLookup searchLookup, String format) {
            return VectorFieldData.valueFetcher(name(), vectors());
        }

        @Override
        public IndexFieldData.Builder fielddataBuilder(String fullyQualifiedIndexName, Supplier<SearchLookup> searchLookup) {
            return VectorFieldData.builder(name(), vectors());
        }

        @Override
        public Query termQuery(Object value, QueryShardContext context) {
            throw new QueryShardException(context, "field [" + name() + "] of type [" + CONTENT_TYPE + "] is searched with the [vector] query");
        }
    }

    private MultiVectorFieldMapper(String simpleName, MultiVectorFieldType type, MultiFields multiFields, CopyTo copyTo, Builder builder) {
        super(simpleName, type, multiFields, copyTo);
    }

    @Override
    public MultiVectorFieldType fieldType() {
        return (MultiVectorFieldType) super.fieldType();
    }

    @Override
    protected void parseCreateField(ParseContext context) throws IOException {
        if (context.parser().currentToken() == org.opensearch.core.xcontent.XContentParser.Token.VALUE_NULL) {
            return;
        }
        MultiVectorFieldType type = fieldType();
        if (context.doc().getByKey(type.name()) != null) {
            throw new IllegalArgumentException("field [" + type.name() + "] takes one matrix of vectors per document");
        }
        float[][] matrix = VectorParsing.parseMatrix(context.parser(), type.dims, type.maxVectors);
        MultiVectorField field = new MultiVectorField(type.name(), matrix, type.dims, type.elementType, type.similarity);
        context.doc().addWithKey(type.name(), field);
        if (type.encoding != null) {
            // encoded from the vectors as stored (normalized, quantized), so the candidates approximate the MaxSim that ranks them
            context.doc().add(CandidateField.create(type.name(), type.encoding, type.elementType.decode(field.binaryValue(), type.dims)));
        }
    }

    /** Vectors can be left out of the stored _source ({@code index.derived_source.enabled}): they come back from the codec. */
    @Override
    protected void canDeriveSourceInternal() {}

    @Override
    protected DerivedFieldGenerator derivedFieldGenerator() {
        FieldValueFetcher fromCodec = VectorFieldData.derivedFetcher(simpleName(), fieldType().name(), fieldType().vectors());
        return new DerivedFieldGenerator(mappedFieldType, fromCodec, fromCodec);
    }

    @Override
    public boolean parsesArrayValue() {
        return true;
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
