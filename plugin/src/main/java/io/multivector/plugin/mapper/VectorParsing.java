package io.multivector.plugin.mapper;

import org.opensearch.core.xcontent.XContentParser;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads vectors from documents and queries, with one set of rules and messages for every vector field:
 * finite numbers only, the mapped number of dimensions, no ragged or empty matrices.
 */
public final class VectorParsing {

    private VectorParsing() {}

    /** One vector: a JSON array of numbers, or a base64 string of little-endian float32 values. */
    public static float[] parseVector(XContentParser parser, int dims) throws IOException {
        float[] vector = switch (parser.currentToken()) {
            case START_ARRAY -> readArray(parser);
            case VALUE_STRING -> decodeBase64(parser.text(), dims, 1)[0];
            default -> throw new IllegalArgumentException("expected an array of numbers or a base64 string, got [" + parser.currentToken() + "]");
        };
        return checkVector(vector, dims, -1);
    }

    /** A token matrix: a JSON array of arrays of numbers, or a base64 string of n × dims little-endian float32 values. */
    public static float[][] parseMatrix(XContentParser parser, int dims, int maxVectors) throws IOException {
        float[][] matrix = switch (parser.currentToken()) {
            case START_ARRAY -> readMatrix(parser);
            case VALUE_STRING -> decodeBase64(parser.text(), dims, -1);
            default -> throw new IllegalArgumentException("expected an array of vectors or a base64 string, got [" + parser.currentToken() + "]");
        };
        return checkMatrix(matrix, dims, maxVectors);
    }

    public static float[][] checkMatrix(float[][] matrix, int dims, int maxVectors) {
        if (matrix.length == 0) {
            throw new IllegalArgumentException("the vector list is empty");
        }
        if (maxVectors > 0 && matrix.length > maxVectors) {
            throw new IllegalArgumentException("has [" + matrix.length + "] vectors, more than max_vectors [" + maxVectors + "]");
        }
        for (int i = 0; i < matrix.length; i++) {
            checkVector(matrix[i], dims, i);
        }
        return matrix;
    }

    public static float[] checkVector(float[] vector, int dims, int index) {
        String which = index < 0 ? "the vector" : "vector [" + index + "]";
        if (vector.length != dims) {
            throw new IllegalArgumentException(which + " has [" + vector.length + "] dimensions, the field has [" + dims + "]");
        }
        for (int d = 0; d < vector.length; d++) {
            if (Float.isFinite(vector[d]) == false) {
                throw new IllegalArgumentException(which + " has a non-finite value [" + vector[d] + "] at dimension [" + d + "]");
            }
        }
        return vector;
    }

    /** A mapping parameter's check: an integer within [min, max], or a 400 naming the parameter and the field. */
    public static java.util.function.Consumer<Integer> rangeValidator(String parameter, String field, int min, int max) {
        return value -> {
            if (value < min || value > max) {
                throw new org.opensearch.index.mapper.MapperParsingException("[" + parameter + "] must be between " + min + " and " + max
                    + " for field [" + field + "], got [" + value + "]");
            }
        };
    }

    public static boolean isZero(float[] vector) {
        for (float v : vector) {
            if (v != 0f) {
                return false;
            }
        }
        return true;
    }

    /**
     * An array of arrays of numbers, the parser on its START_ARRAY; dimensions are checked by the caller. A flat
     * array of numbers is a one-vector matrix (that is how a one-row matrix comes back from derived _source).
     */
    public static float[][] readMatrix(XContentParser parser) throws IOException {
        List<float[]> rows = new ArrayList<>();
        XContentParser.Token token;
        while ((token = parser.nextToken()) != XContentParser.Token.END_ARRAY) {
            if (token == XContentParser.Token.VALUE_NUMBER && rows.isEmpty()) {
                return new float[][] { readRest(parser) };
            }
            if (token != XContentParser.Token.START_ARRAY) {
                throw new IllegalArgumentException("vector [" + rows.size() + "] is not an array of numbers");
            }
            rows.add(readArray(parser));
        }
        return rows.toArray(new float[0][]);
    }

    /** The parser on the first number of an array. */
    private static float[] readRest(XContentParser parser) throws IOException {
        float first = parser.floatValue();
        float[] rest = readArray(parser);
        float[] vector = new float[rest.length + 1];
        vector[0] = first;
        System.arraycopy(rest, 0, vector, 1, rest.length);
        return vector;
    }

    /** An array of numbers, the parser on its START_ARRAY. */
    public static float[] readArray(XContentParser parser) throws IOException {
        float[] values = new float[16];
        int n = 0;
        XContentParser.Token token;
        while ((token = parser.nextToken()) != XContentParser.Token.END_ARRAY) {
            if (token != XContentParser.Token.VALUE_NUMBER) {
                throw new IllegalArgumentException("expected a number, got [" + (token.isValue() ? parser.text() : token) + "]");
            }
            if (n == values.length) {
                values = java.util.Arrays.copyOf(values, n * 2);
            }
            values[n++] = parser.floatValue();
        }
        return java.util.Arrays.copyOf(values, n);
    }

    /** Decodes base64 little-endian float32; {@code rows < 0} means as many rows as the bytes hold. */
    static float[][] decodeBase64(String text, int dims, int rows) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not valid base64: " + e.getMessage());
        }
        int rowBytes = dims * Float.BYTES;
        if (bytes.length == 0 || bytes.length % rowBytes != 0 || (rows > 0 && bytes.length != rows * rowBytes)) {
            throw new IllegalArgumentException("base64 holds [" + bytes.length + "] bytes, not a multiple of dims [" + dims
                + "] float32 values" + (rows > 0 ? " (expected " + rows * rowBytes + " bytes)" : ""));
        }
        FloatBuffer floats = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[][] matrix = new float[bytes.length / rowBytes][dims];
        for (float[] row : matrix) {
            floats.get(row);
        }
        return matrix;
    }
}
