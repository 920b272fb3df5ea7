package io.multivector.analysis.encoder;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A linear map applied to every output vector of a model before it is normalized: ColBERT's Linear(hidden -> dims,
 * no bias) kept apart from the ONNX export. Read from a raw little-endian float32 matrix {@code [hidden][dims]},
 * row-major (numpy: {@code weight.T.astype('<f4').tofile(path)}).
 */
public final class Projection {

    private final int hidden;
    private final int dims;
    private final float[] matrix;

    private Projection(int hidden, int dims, float[] matrix) {
        this.hidden = hidden;
        this.dims = dims;
        this.matrix = matrix;
    }

    /** @throws IllegalArgumentException when the file's size is not a whole number of rows of {@code dims} floats */
    public static Projection read(byte[] file, int dims) {
        if (file.length == 0 || file.length % (4 * dims) != 0) {
            throw new IllegalArgumentException("[projection_file] holds [" + file.length + "] bytes, not a whole number of rows of [" + dims
                + "] float32 values (dims); it must be a [hidden, dims] little-endian float32 matrix");
        }
        float[] matrix = new float[file.length / 4];
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(matrix);
        return new Projection(matrix.length / dims, dims, matrix);
    }

    /** The width of the vectors it takes: the model's output size. */
    public int hidden() {
        return hidden;
    }

    /** {@code v · W}: a new vector of {@code dims} values. */
    public float[] apply(float[] v) {
        float[] out = new float[dims];
        for (int i = 0; i < hidden; i++) {
            float x = v[i];
            int row = i * dims;
            for (int j = 0; j < dims; j++) {
                out[j] += x * matrix[row + j];
            }
        }
        return out;
    }
}
