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
 * The plugin's search options, {@code "ext": {"multivector": {...}}}:
 * <ul>
 * <li>{@code include_vectors}: search hits keep the plugin's vectors in {@code _source}. Scroll searches (reindex,
 * update by query, exports) get it added by {@link ScrollKeepsVectorsFilter}.</li>
 * <li>{@code doc_refs}: each hit carries {@code fields._doc_ref}, where its shard's reader holds it (shard, Lucene doc
 * id, reader view); fusion's first round asks for it instead of reading every hit's {@code _id}.</li>
 * <li>{@code fusion_by_reference} (default true): {@code false} makes a {@code fusion} name its documents by
 * {@code _id}, as it does after meeting a changed reader view.</li>
 * </ul>
 */
public final class MultiVectorExt extends SearchExtBuilder {

    public static final String NAME = "multivector";
    private static final ParseField INCLUDE_VECTORS = new ParseField("include_vectors");
    private static final ParseField DOC_REFS = new ParseField("doc_refs");
    private static final ParseField FUSION_BY_REFERENCE = new ParseField("fusion_by_reference");
    private static final ObjectParser<MultiVectorExt, Void> PARSER = new ObjectParser<>(NAME, MultiVectorExt::new);

    static {
        PARSER.declareBoolean((ext, value) -> ext.includeVectors = value, INCLUDE_VECTORS);
        PARSER.declareBoolean((ext, value) -> ext.docRefs = value, DOC_REFS);
        PARSER.declareBoolean((ext, value) -> ext.fusionByReference = value, FUSION_BY_REFERENCE);
    }

    private boolean includeVectors;
    private boolean docRefs;
    private boolean fusionByReference = true;

    public MultiVectorExt() {}

    public MultiVectorExt(boolean includeVectors, boolean docRefs, boolean fusionByReference) {
        this.includeVectors = includeVectors;
        this.docRefs = docRefs;
        this.fusionByReference = fusionByReference;
    }

    public MultiVectorExt(StreamInput in) throws IOException {
        this.includeVectors = in.readBoolean();
        this.docRefs = in.readBoolean();
        this.fusionByReference = in.readBoolean();
    }

    public static MultiVectorExt fromXContent(XContentParser parser) throws IOException {
        return PARSER.parse(parser, null);
    }

    public boolean includeVectors() {
        return includeVectors;
    }

    public boolean docRefs() {
        return docRefs;
    }

    public boolean fusionByReference() {
        return fusionByReference;
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeBoolean(includeVectors);
        out.writeBoolean(docRefs);
        out.writeBoolean(fusionByReference);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        return builder.startObject(NAME).field(INCLUDE_VECTORS.getPreferredName(), includeVectors)
            .field(DOC_REFS.getPreferredName(), docRefs).field(FUSION_BY_REFERENCE.getPreferredName(), fusionByReference).endObject();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MultiVectorExt that && includeVectors == that.includeVectors && docRefs == that.docRefs
            && fusionByReference == that.fusionByReference;
    }

    @Override
    public int hashCode() {
        return Objects.hash(NAME, includeVectors, docRefs, fusionByReference);
    }
}
