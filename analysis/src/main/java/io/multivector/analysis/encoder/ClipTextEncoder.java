package io.multivector.analysis.encoder;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import io.multivector.analysis.tokenizer.ClipBpeTokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code clip_text}: CLIP's text tower. Input {@code input_ids} int64 {@code [batch, 77]} (and {@code attention_mask}
 * when the model declares it), output {@code text_embeds [batch, dims]}; a {@code [batch, 77, dims]} output is read at
 * the end-of-text token, where CLIP pools. Queries and documents are encoded alike.
 */
public final class ClipTextEncoder extends ClipTower {

    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";

    private final ClipBpeTokenizer tokenizer;

    public ClipTextEncoder(String id, byte[] onnxModel, ClipBpeTokenizer tokenizer, int dims, boolean normalize, int threads) {
        super(id, new ClipSession(onnxModel, threads, INPUT_IDS, "text_embeds"), dims, normalize);
        this.tokenizer = tokenizer;
    }

    @Override
    public List<float[][]> encode(List<String> texts, boolean asQuery) {
        long start = System.nanoTime();
        int batch = texts.size();
        int length = tokenizer.contextLength();
        long[] ids = new long[batch * length];
        long[] mask = new long[batch * length];
        int[] endToken = new int[batch];
        for (int b = 0; b < batch; b++) {
            ClipBpeTokenizer.Tokens tokens = tokenizer.encode(texts.get(b));
            System.arraycopy(tokens.ids(), 0, ids, b * length, length);
            Arrays.fill(mask, b * length, b * length + tokens.length(), 1L);
            endToken[b] = tokens.length() - 1;
        }
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put(INPUT_IDS, ClipSession.longs(ids, batch, length));
            if (session.hasInput(ATTENTION_MASK)) {
                inputs.put(ATTENTION_MASK, ClipSession.longs(mask, batch, length));
            }
        } catch (OrtException e) {
            inputs.values().forEach(OnnxTensor::close);
            throw new IllegalStateException("cannot build the input tensors: " + e.getMessage(), e);
        }
        List<float[][]> out = new ArrayList<>(batch);
        for (float[] row : session.run(inputs, batch, endToken)) {
            out.add(vector(row));
        }
        stats.record(batch, System.nanoTime() - start);
        return out;
    }

    @Override
    public ModelKind kind() {
        return ModelKind.CLIP_TEXT;
    }
}
