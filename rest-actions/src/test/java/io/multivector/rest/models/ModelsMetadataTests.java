package io.multivector.rest.models;

import io.multivector.analysis.ModelDefinition;
import org.opensearch.common.io.stream.BytesStreamOutput;
import org.opensearch.common.xcontent.XContentFactory;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.xcontent.DeprecationHandler;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.core.xcontent.ToXContent;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.test.OpenSearchTestCase;

import java.util.Map;

/**
 * The registered models survive the cluster state's wire format and its persisted XContent, projection_file and the
 * text encoding (markers, prefixes, query length) included.
 */
public class ModelsMetadataTests extends OpenSearchTestCase {

    private static ModelsMetadata models() {
        ModelDefinition colbert = ModelDefinition.fromMap("colbert", Map.of("kind", "text_tokens", "model_file", "colbert/bert.onnx",
            "tokenizer_file", "colbert/tokenizer.json", "dims", 128, "projection_file", "colbert/projection.f32", "query_marker", "[unused0]",
            "document_marker", "[unused1]", "query_length", 24, "document_prefix", "passage: "));
        ModelDefinition plain = ModelDefinition.fromMap("plain", Map.of("kind", "text_dense", "model_file", "m/model.onnx",
            "tokenizer_file", "m/tokenizer.json", "dims", 384));
        return new ModelsMetadata(Map.of("colbert", colbert, "plain", plain));
    }

    public void testStreamRoundTrip() throws Exception {
        ModelsMetadata models = models();
        try (BytesStreamOutput out = new BytesStreamOutput()) {
            models.writeTo(out);
            ModelsMetadata read = new ModelsMetadata(out.bytes().streamInput());
            assertEquals(models, read);
            assertEquals("colbert/projection.f32", read.models().get("colbert").projectionFile());
            assertNull(read.models().get("plain").projectionFile());
            assertEquals("[unused0]", read.models().get("colbert").encoding().queryMarker());
            assertEquals("passage: ", read.models().get("colbert").encoding().documentPrefix());
            assertNull(read.models().get("plain").encoding().queryMarker());
        }
    }

    public void testXContentRoundTrip() throws Exception {
        ModelsMetadata models = models();
        XContentBuilder builder = XContentFactory.jsonBuilder().startObject();
        models.toXContent(builder, ToXContent.EMPTY_PARAMS);
        builder.endObject();
        try (XContentParser parser = JsonXContent.jsonXContent.createParser(NamedXContentRegistry.EMPTY,
            DeprecationHandler.THROW_UNSUPPORTED_OPERATION, BytesReference.bytes(builder).streamInput())) {
            assertEquals(models, ModelsMetadata.fromXContent(parser));
        }
    }
}
