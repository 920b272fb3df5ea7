package io.multivector.analysis.encoder;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import io.multivector.analysis.image.ClipImagePreprocessor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code image}: CLIP's vision tower over preprocessed pixels (see {@link ClipImagePreprocessor}). Input
 * {@code pixel_values} float {@code [batch, 3, 224, 224]}, output {@code image_embeds [batch, dims]} (a
 * {@code [batch, tokens, dims]} output is read at its first token). Images run in batches of at most 32.
 */
public final class ClipImageEncoder extends ClipTower {

    static final String PIXEL_VALUES = "pixel_values";
    static final int MAX_BATCH = 32;

    private final ClipImagePreprocessor preprocessor = new ClipImagePreprocessor(ClipImagePreprocessor.DEFAULT_SIZE);

    public ClipImageEncoder(String id, byte[] onnxModel, int dims, boolean normalize, int threads) {
        super(id, new ClipSession(onnxModel, threads, PIXEL_VALUES, "image_embeds"), dims, normalize);
    }

    @Override
    public List<float[][]> encode(List<String> texts, boolean asQuery) {
        throw new IllegalArgumentException("model [" + id + "] (image) encodes images, not texts");
    }

    /** @throws IllegalArgumentException for the first image that cannot be decoded, naming its index in a batch */
    @Override
    public List<float[][]> encodeImages(List<byte[]> images) {
        long start = System.nanoTime();
        int size = preprocessor.size();
        int plane = 3 * size * size;
        List<float[][]> out = new ArrayList<>(images.size());
        for (int from = 0; from < images.size(); from += MAX_BATCH) {
            int batch = Math.min(MAX_BATCH, images.size() - from);
            float[] pixels = new float[batch * plane];
            for (int b = 0; b < batch; b++) {
                try {
                    System.arraycopy(preprocessor.pixels(images.get(from + b)), 0, pixels, b * plane, plane);
                } catch (IllegalArgumentException e) {
                    throw images.size() == 1 ? e : new IllegalArgumentException("image [" + (from + b) + "]: " + e.getMessage(), e);
                }
            }
            OnnxTensor tensor;
            try {
                tensor = ClipSession.floats(pixels, batch, 3, size, size);
            } catch (OrtException e) {
                throw new IllegalStateException("cannot build the pixel tensor: " + e.getMessage(), e);
            }
            for (float[] row : session.run(Map.of(PIXEL_VALUES, tensor), batch, new int[batch])) {
                out.add(vector(row));
            }
        }
        stats.record(images.size(), System.nanoTime() - start);
        return out;
    }

    @Override
    public ModelKind kind() {
        return ModelKind.IMAGE;
    }
}
