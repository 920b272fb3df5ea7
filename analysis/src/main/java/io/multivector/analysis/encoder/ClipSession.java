package io.multivector.analysis.encoder;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One tower of a CLIP model exported to ONNX: it reads the embedding from the output with the conventional name
 * ({@code image_embeds}, {@code text_embeds}) when the model has one, else from its first output. A
 * {@code [batch, tokens, dims]} output is read at one token per row (CLIP pools the text at its end token).
 */
final class ClipSession implements AutoCloseable {

    private final OrtSession session;
    private final String output;
    final long modelBytes;

    ClipSession(byte[] onnxModel, int threads, String input, String conventionalOutput) {
        this.session = OnnxSessions.open(onnxModel, threads);
        if (session.getInputNames().contains(input) == false) {
            String message = "the ONNX model has no input [" + input + "]; its inputs are " + session.getInputNames();
            close();
            throw new IllegalArgumentException(message);
        }
        List<String> outputs = List.copyOf(session.getOutputNames());
        this.output = outputs.contains(conventionalOutput) ? conventionalOutput : outputs.get(0);
        this.modelBytes = onnxModel.length;
    }

    boolean hasInput(String name) {
        return session.getInputNames().contains(name);
    }

    static OnnxTensor floats(float[] values, long... shape) throws OrtException {
        return OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(values), shape);
    }

    static OnnxTensor longs(long[] values, long... shape) throws OrtException {
        return OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), LongBuffer.wrap(values), shape);
    }

    /** Runs the model; row b of the result is the output of input b, at token {@code pick[b]} for a 3-d output. */
    float[][] run(Map<String, OnnxTensor> inputs, int batch, int[] pick) {
        try (OrtSession.Result result = session.run(inputs, Set.of(output))) {
            OnnxTensor tensor = (OnnxTensor) result.get(0);
            long[] shape = tensor.getInfo().getShape();
            if (shape.length < 2 || shape.length > 3 || shape[0] != batch) {
                throw new IllegalStateException("output [" + output + "] has shape " + Arrays.toString(shape) + ", expected [" + batch + ", dims]");
            }
            FloatBuffer data = tensor.getFloatBuffer();
            int dims = (int) shape[shape.length - 1];
            int tokens = shape.length == 3 ? (int) shape[1] : 1;
            float[][] rows = new float[batch][dims];
            for (int b = 0; b < batch; b++) {
                data.get((b * tokens + (shape.length == 3 ? pick[b] : 0)) * dims, rows[b]);
            }
            return rows;
        } catch (OrtException e) {
            throw new IllegalStateException("inference failed: " + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // closing frees native memory; a failure leaves nothing to recover
        }
    }
}
