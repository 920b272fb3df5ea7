package io.multivector.analysis.encoder;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.multivector.analysis.tokenizer.TextTokenizer;

import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One BERT-style ONNX model (input_ids, attention_mask, token_type_ids → last_hidden_state) and its tokenizer.
 * Several encoders (pooled, per token) share one session; onnxruntime sessions are safe to run concurrently.
 */
public final class BertSession implements AutoCloseable {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final TextTokenizer tokenizer;
    private final boolean takesTokenTypes;
    final long modelBytes;

    public BertSession(byte[] onnxModel, TextTokenizer tokenizer, int threads) {
        this.session = OnnxSessions.open(onnxModel, threads);
        this.takesTokenTypes = session.getInputNames().contains("token_type_ids");
        this.tokenizer = tokenizer;
        this.modelBytes = onnxModel.length;
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    /** Hidden states {@code [batch][tokens][dims]} of already tokenized inputs, padded to the longest in the batch. */
    float[][][] run(List<long[]> ids) {
        int batch = ids.size();
        int length = ids.stream().mapToInt(a -> a.length).max().orElse(0);
        long[] flatIds = new long[batch * length];
        long[] mask = new long[batch * length];
        for (int b = 0; b < batch; b++) {
            long[] row = ids.get(b);
            for (int t = 0; t < length; t++) {
                flatIds[b * length + t] = t < row.length ? row[t] : tokenizer.specialTokens().pad();
                mask[b * length + t] = t < row.length ? 1 : 0;
            }
        }
        long[] shape = { batch, length };
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(flatIds), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
            if (takesTokenTypes) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(new long[batch * length]), shape));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                return (float[][][]) result.get(0).getValue();
            }
        } catch (OrtException e) {
            throw new IllegalStateException("inference failed: " + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() throws OrtException {
        try {
            session.close();
        } finally {
            tokenizer.close();
        }
    }
}
