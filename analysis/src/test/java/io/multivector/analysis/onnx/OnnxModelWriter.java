package io.multivector.analysis.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes small ONNX models for tests (no Python here): ModelProto with one GraphProto of NodeProtos,
 * float initializers and typed graph inputs/outputs. Field numbers follow onnx/onnx.proto.
 */
public final class OnnxModelWriter {

    public static final int FLOAT = 1;
    public static final int INT64 = 7;

    private final Protobuf graph = new Protobuf();
    private int nodeCount;

    public OnnxModelWriter(String graphName) {
        graph.string(2, graphName); // GraphProto.name
    }

    /** Adds a node; attributes are given with {@link #intsAttr} / {@link #intAttr}. */
    public OnnxModelWriter node(String opType, String[] inputs, String[] outputs, Protobuf... attributes) {
        Protobuf n = new Protobuf();
        for (String i : inputs) n.string(1, i);
        for (String o : outputs) n.string(2, o);
        n.string(3, opType + "_" + nodeCount++);
        n.string(4, opType);
        for (Protobuf a : attributes) n.message(5, a);
        graph.message(1, n); // GraphProto.node
        return this;
    }

    public static Protobuf intAttr(String name, long value) {
        return new Protobuf().string(1, name).int64(20, 2).int64(3, value); // type INT, field i
    }

    public static Protobuf intsAttr(String name, long... values) {
        Protobuf a = new Protobuf().string(1, name).int64(20, 7); // type INTS
        for (long v : values) a.int64(8, v);
        return a;
    }

    /** A float constant tensor, row-major, stored as raw little-endian bytes. */
    public OnnxModelWriter floatInitializer(String name, float[] values, long... dims) {
        Protobuf t = new Protobuf();
        for (long d : dims) t.int64(1, d);
        t.int64(2, FLOAT);
        t.string(8, name);
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        t.bytes(9, b.array()); // raw_data
        graph.message(5, t); // GraphProto.initializer
        return this;
    }

    public OnnxModelWriter input(String name, int elemType, long... dims) {
        graph.message(11, valueInfo(name, elemType, dims));
        return this;
    }

    public OnnxModelWriter output(String name, int elemType, long... dims) {
        graph.message(12, valueInfo(name, elemType, dims));
        return this;
    }

    /** A dim of -1 is written as a symbolic dimension ("batch"), -2 as another one ("tokens"). */
    private static Protobuf valueInfo(String name, int elemType, long... dims) {
        Protobuf shape = new Protobuf();
        for (long d : dims) {
            shape.message(1, d < 0 ? new Protobuf().string(2, d == -1 ? "batch" : "tokens") : new Protobuf().int64(1, d));
        }
        Protobuf tensorType = new Protobuf().int64(1, elemType).message(2, shape);
        Protobuf type = new Protobuf().message(1, tensorType);
        return new Protobuf().string(1, name).message(2, type);
    }

    /** ModelProto: IR version 7 with opset 13 (ReduceMean still takes axes as an attribute there). */
    public byte[] toBytes() {
        Protobuf opset = new Protobuf().string(1, "").int64(2, 13);
        return new Protobuf()
            .int64(1, 7)                 // ir_version
            .string(2, "multivector-test") // producer_name
            .message(7, graph)           // graph
            .message(8, opset)           // opset_import
            .toByteArray();
    }
}
