package io.multivector.plugin.search;

import org.opensearch.core.ParseField;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ObjectParser;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.search.SearchExtBuilder;

import java.io.IOException;
import java.util.Objects;

/**
 * {@code "ext": {"multivector": {"include_vectors": true}}}: search hits keep the plugin's vectors in
 * {@code _source}. Scroll searches (reindex, update by query, exports) get it added by {@link ScrollKeepsVectorsFilter}.
 */
public final class IncludeVectorsExt extends SearchExtBuilder {

    public static final String NAME = "multivector";
    private static final ParseField INCLUDE_VECTORS = new ParseField("include_vectors");
    private static final ObjectParser<IncludeVectorsExt, Void> PARSER = new ObjectParser<>(NAME, IncludeVectorsExt::new);

    static {
        PARSER.declareBoolean((ext, value) -> ext.includeVectors = value, INCLUDE_VECTORS);
    }

    private boolean includeVectors;

    public IncludeVectorsExt() {}

    public IncludeVectorsExt(boolean includeVectors) {
        this.includeVectors = includeVectors;
    }

    public IncludeVectorsExt(StreamInput in) throws IOException {
        this.includeVectors = in.readBoolean();
    }

    public static IncludeVectorsExt fromXContent(XContentParser parser) throws IOException {
        return PARSER.parse(parser, null);
    }

    public boolean includeVectors() {
        return includeVectors;
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeBoolean(includeVectors);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        return builder.startObject(NAME).field(INCLUDE_VECTORS.getPreferredName(), includeVectors).endObject();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IncludeVectorsExt that && includeVectors == that.includeVectors;
    }

    @Override
    public int hashCode() {
        return Objects.hash(NAME, includeVectors);
    }
}
