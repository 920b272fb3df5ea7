package io.multivector.codec.multivector;

import org.apache.lucene.util.BytesRef;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Storage precision of one token vector; a document's matrix is its vectors back to back, little-endian. */
public enum ElementType {
    FLOAT {
        @Override
        public int bytesPerVector(int dims) {
            return dims * Float.BYTES;
        }

        @Override
        void encode(float[] v, ByteBuffer out) {
            for (float x : v) {
                out.putFloat(x);
            }
        }

        @Override
        void decode(ByteBuffer in, float[] v) {
            in.asFloatBuffer().get(v);
            in.position(in.position() + v.length * Float.BYTES);
        }
    },
    FLOAT16 {
        @Override
        public int bytesPerVector(int dims) {
            return dims * Short.BYTES;
        }

        @Override
        void encode(float[] v, ByteBuffer out) {
            for (float x : v) {
                out.putShort(Float.floatToFloat16(x));
            }
        }

        @Override
        void decode(ByteBuffer in, float[] v) {
            for (int i = 0; i < v.length; i++) {
                v[i] = Float.float16ToFloat(in.getShort());
            }
        }
    },
    /** Symmetric scalar quantization, one scale per vector: x ≈ scale · q, q in [-127, 127]. */
    INT8 {
        @Override
        public int bytesPerVector(int dims) {
            return Float.BYTES + dims;
        }

        @Override
        void encode(float[] v, ByteBuffer out) {
            float scale = int8Scale(v);
            out.putFloat(scale);
            for (float x : v) {
                out.put(scale == 0 ? 0 : (byte) Math.round(x / scale));
            }
        }

        @Override
        void decode(ByteBuffer in, float[] v) {
            float scale = in.getFloat();
            for (int i = 0; i < v.length; i++) {
                v[i] = scale * in.get();
            }
        }
    },
    /** One sign bit per dimension (set when x > 0); decodes to ±1. */
    BIT {
        @Override
        public int bytesPerVector(int dims) {
            return (dims + 7) / 8;
        }

        @Override
        void encode(float[] v, ByteBuffer out) {
            for (int start = 0; start < v.length; start += 8) {
                int b = 0;
                for (int i = start; i < Math.min(start + 8, v.length); i++) {
                    if (v[i] > 0) {
                        b |= 1 << (i - start);
                    }
                }
                out.put((byte) b);
            }
        }

        @Override
        void decode(ByteBuffer in, float[] v) {
            for (int start = 0; start < v.length; start += 8) {
                int b = in.get();
                for (int i = start; i < Math.min(start + 8, v.length); i++) {
                    v[i] = (b & (1 << (i - start))) != 0 ? 1f : -1f;
                }
            }
        }
    };

    public abstract int bytesPerVector(int dims);

    abstract void encode(float[] vector, ByteBuffer out);

    /** Reads one vector at the buffer's position and moves past it. */
    abstract void decode(ByteBuffer in, float[] vector);

    static float int8Scale(float[] v) {
        float max = 0;
        for (float x : v) {
            max = Math.max(max, Math.abs(x));
        }
        return max / 127f;
    }

    public byte[] encode(float[][] vectors, int dims) {
        ByteBuffer out = ByteBuffer.allocate(vectors.length * bytesPerVector(dims)).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] v : vectors) {
            if (v.length != dims) {
                throw new IllegalArgumentException("vector has [" + v.length + "] dims, expected [" + dims + "]");
            }
            encode(v, out);
        }
        return out.array();
    }

    public int vectorCount(int numBytes, int dims) {
        return numBytes / bytesPerVector(dims);
    }

    public float[][] decode(BytesRef bytes, int dims) {
        float[][] vectors = new float[vectorCount(bytes.length, dims)][dims];
        ByteBuffer in = ByteBuffer.wrap(bytes.bytes, bytes.offset, bytes.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] v : vectors) {
            decode(in, v);
        }
        return vectors;
    }
}
