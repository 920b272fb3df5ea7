package io.multivector.codec.multivector;

import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.util.BytesRef;

public class TestElementType extends LuceneTestCase {

    public void testRoundTripWithinEachPrecision() {
        for (ElementType type : ElementType.values()) {
            int dims = 1 + random().nextInt(100);
            float[][] vectors = new float[1 + random().nextInt(20)][dims];
            for (float[] v : vectors) {
                for (int d = 0; d < dims; d++) {
                    v[d] = random().nextFloat() * 4 - 2;
                }
            }
            byte[] bytes = type.encode(vectors, dims);
            assertEquals(vectors.length * type.bytesPerVector(dims), bytes.length);
            float[][] decoded = type.decode(new BytesRef(bytes), dims);
            assertEquals(vectors.length, decoded.length);
            for (int i = 0; i < vectors.length; i++) {
                float maxAbs = 0;
                for (float x : vectors[i]) {
                    maxAbs = Math.max(maxAbs, Math.abs(x));
                }
                for (int d = 0; d < dims; d++) {
                    float x = vectors[i][d], y = decoded[i][d];
                    switch (type) {
                        case FLOAT -> assertEquals(x, y, 0f);
                        case FLOAT16 -> assertEquals(x, y, Math.abs(x) / 1024 + 1e-4f);
                        case INT8 -> assertEquals(x, y, maxAbs / 254 + 1e-6f);
                        case BIT -> assertEquals(x > 0 ? 1f : -1f, y, 0f);
                    }
                }
            }
        }
    }

    public void testBytesPerVector() {
        assertEquals(512, ElementType.FLOAT.bytesPerVector(128));
        assertEquals(256, ElementType.FLOAT16.bytesPerVector(128));
        assertEquals(132, ElementType.INT8.bytesPerVector(128));
        assertEquals(16, ElementType.BIT.bytesPerVector(128));
        assertEquals(2, ElementType.BIT.bytesPerVector(9));
    }
}
