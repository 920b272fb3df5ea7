package io.multivector.codec;

import io.multivector.codec.multivector.ElementType;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.index.FieldInfo;

import java.util.Locale;

/**
 * Field attributes that mark the plugin's vector fields in a segment's field infos, with what reading their
 * values back needs. A segment carries them itself, so sources can be restored by the codec instance that SPI
 * creates, which knows no mapping.
 */
public final class VectorFieldAttributes {

    static final String KIND = "multivector.kind";
    static final String DIMS = "multivector.dims";
    static final String ELEMENT_TYPE = "multivector.element_type";
    static final String MULTI_VECTOR = "multi_vector";
    static final String DENSE = "dense";

    private VectorFieldAttributes() {}

    public static void markMultiVector(FieldType type, int dims, ElementType elementType) {
        type.putAttribute(KIND, MULTI_VECTOR);
        type.putAttribute(DIMS, Integer.toString(dims));
        type.putAttribute(ELEMENT_TYPE, elementType.name().toLowerCase(Locale.ROOT));
    }

    public static void markDense(FieldType type) {
        type.putAttribute(KIND, DENSE);
    }

    /** The bytes of one vector of a marked multi-vector field; 1 for an unmarked field (any length is valid). */
    public static int bytesPerVector(FieldInfo info) {
        return isMultiVector(info) ? elementType(info).bytesPerVector(dims(info)) : 1;
    }

    public static boolean isMultiVector(FieldInfo info) {
        return MULTI_VECTOR.equals(info.getAttribute(KIND)) && info.getAttribute(DIMS) != null && info.getAttribute(ELEMENT_TYPE) != null;
    }

    public static boolean isDense(FieldInfo info) {
        return DENSE.equals(info.getAttribute(KIND)) && info.getVectorDimension() > 0;
    }

    public static int dims(FieldInfo info) {
        return Integer.parseInt(info.getAttribute(DIMS));
    }

    public static ElementType elementType(FieldInfo info) {
        return ElementType.valueOf(info.getAttribute(ELEMENT_TYPE).toUpperCase(Locale.ROOT));
    }
}
