package io.multivector.plugin.source;

import io.multivector.codec.source.SourceVectors;
import org.apache.lucene.util.BytesRef;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.xcontent.DeprecationHandler;
import org.opensearch.core.xcontent.MediaType;
import org.opensearch.core.xcontent.MediaTypeRegistry;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Masks vector values in a stored {@code _source} (JSON, SMILE, CBOR or YAML, kept in its own syntax) and puts
 * them back. The mask is {@code false}: a value no vector field accepts, so it never stands for a real one.
 * Fields are matched by their full dotted path through objects; values inside arrays of objects stay as they are.
 * JSON sources are masked by a byte scan ({@link JsonValueSpans}), others through the XContent parser.
 */
public final class XContentSourceVectors implements SourceVectors {

    /** What to write instead of a field's value, or false to copy the value. */
    private interface Replacement {
        boolean write(String path, XContentParser parser, XContentBuilder out) throws IOException;
    }

    @Override
    public BytesRef strip(BytesRef source, Predicate<String> isVectorField) throws IOException {
        if (MediaTypeRegistry.xContent(source.bytes, source.offset, source.length) == XContentType.JSON) {
            int[] spans = JsonValueSpans.find(source.bytes, source.offset, source.length, isVectorField);
            if (spans != null) {
                return spans.length == 0 ? null : replaceSpans(source, spans, MASK_JSON);
            }
        }
        return rewrite(source, (path, parser, out) -> {
            XContentParser.Token token = parser.currentToken();
            if ((token == XContentParser.Token.START_ARRAY || token == XContentParser.Token.VALUE_STRING) && isVectorField.test(path)) {
                parser.skipChildren();
                out.value(false);
                return true;
            }
            return false;
        });
    }

    @Override
    public BytesRef restore(BytesRef stored, Function<String, Object> vectorsOfField) throws IOException {
        return rewrite(stored, (path, parser, out) -> {
            if (parser.currentToken() != XContentParser.Token.VALUE_BOOLEAN || parser.booleanValue()) {
                return false;
            }
            Object vectors = vectorsOfField.apply(path);
            if (vectors instanceof float[][] matrix) {
                out.startArray();
                for (float[] row : matrix) {
                    writeVector(out, row);
                }
                out.endArray();
                return true;
            }
            if (vectors instanceof float[] vector) {
                writeVector(out, vector);
                return true;
            }
            return false;
        });
    }

    private static final byte[] MASK_JSON = "false".getBytes(StandardCharsets.UTF_8);

    /** The source with each [start, end) span replaced by the same bytes. */
    private static BytesRef replaceSpans(BytesRef source, int[] spans, byte[] replacement) {
        int removed = 0;
        for (int i = 0; i < spans.length; i += 2) {
            removed += spans[i + 1] - spans[i];
        }
        byte[] out = new byte[source.length - removed + replacement.length * spans.length / 2];
        int from = source.offset, to = 0;
        for (int i = 0; i < spans.length; i += 2) {
            System.arraycopy(source.bytes, from, out, to, spans[i] - from);
            to += spans[i] - from;
            System.arraycopy(replacement, 0, out, to, replacement.length);
            to += replacement.length;
            from = spans[i + 1];
        }
        System.arraycopy(source.bytes, from, out, to, source.offset + source.length - from);
        return new BytesRef(out);
    }

    private static void writeVector(XContentBuilder out, float[] vector) throws IOException {
        out.startArray();
        for (float x : vector) {
            out.value(x);
        }
        out.endArray();
    }

    /** The source copied token by token with replacements, or null when nothing was replaced. */
    private static BytesRef rewrite(BytesRef source, Replacement replacement) throws IOException {
        MediaType type = MediaTypeRegistry.xContent(source.bytes, source.offset, source.length);
        if (type == null) {
            return null;
        }
        try (
            XContentParser parser = type.xContent()
                .createParser(NamedXContentRegistry.EMPTY, DeprecationHandler.IGNORE_DEPRECATIONS, source.bytes, source.offset, source.length);
            XContentBuilder out = MediaTypeRegistry.contentBuilder(type)
        ) {
            if (parser.nextToken() != XContentParser.Token.START_OBJECT) {
                return null;
            }
            out.startObject();
            boolean replaced = copyObjectFields(parser, out, "", replacement);
            out.endObject();
            return replaced ? BytesReference.bytes(out).toBytesRef() : null;
        }
    }

    private static boolean copyObjectFields(XContentParser parser, XContentBuilder out, String prefix, Replacement replacement)
        throws IOException {
        boolean replaced = false;
        for (XContentParser.Token token = parser.nextToken(); token != XContentParser.Token.END_OBJECT; token = parser.nextToken()) {
            String name = parser.currentName();
            String path = prefix + name;
            parser.nextToken();
            out.field(name);
            if (replacement.write(path, parser, out)) {
                replaced = true;
            } else if (parser.currentToken() == XContentParser.Token.START_OBJECT) {
                out.startObject();
                replaced |= copyObjectFields(parser, out, path + ".", replacement);
                out.endObject();
            } else {
                out.copyCurrentStructure(parser);
            }
        }
        return replaced;
    }
}
