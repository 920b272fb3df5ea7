package io.multivector.plugin.mapper;

import org.opensearch.index.mapper.MapperParsingException;
import org.opensearch.index.mapper.ParametrizedFieldMapper.Parameter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parameters a vector field does not take, but which OpenSearch's mapping parser would otherwise drop without a word:
 * it silently removes {@code store}, {@code index}, {@code doc_values}, {@code index_options}, {@code boost} (and
 * {@code similarity}, {@code meta}) from any field type that does not declare them, for mappings of old indices. A user
 * who writes one believes something was configured; declaring them here makes each a 400 that says so.
 */
final class RejectedParameters {

    private RejectedParameters() {}

    /** Each parameter named, for a field of {@code type}, with the reason it is not taken. */
    static List<Parameter<?>> of(String type, String field, Map<String, String> reasons) {
        List<Parameter<?>> parameters = new ArrayList<>();
        reasons.forEach((name, reason) -> parameters.add(new Parameter<Object>(name, false, () -> null, (fieldName, context, value) -> {
            throw new MapperParsingException("unknown parameter [" + name + "] on field [" + field + "] of type [" + type + "]: " + reason);
        }, mapper -> null).acceptsNull().neverSerialize()));
        return parameters;
    }

    /** The reasons shared by both vector field types. */
    static Map<String, String> common() {
        return Map.of(
            "store", "vectors are stored once, by the plugin's format, and read back into _source",
            "index", "vector fields are always searchable with the [vector] query",
            "doc_values", "vectors are always readable through fields and docvalue_fields",
            "boost", "give [boost] in the [vector] query");
    }
}
