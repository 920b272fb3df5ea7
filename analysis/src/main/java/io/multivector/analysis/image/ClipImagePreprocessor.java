package io.multivector.analysis.image;

/**
 * CLIP's image preprocessing: shortest side resized to 224 (bicubic), center crop 224 x 224, RGB scaled to
 * 0..1 then standardized with CLIP's per-channel mean and std, laid out channel-first (CHW).
 */
public final class ClipImagePreprocessor {

    public static final int DEFAULT_SIZE = 224;
    public static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    public static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};

    private final int size;

    public ClipImagePreprocessor(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + size);
        }
        this.size = size;
    }

    public int size() {
        return size;
    }

    /** Decodes and preprocesses one image into float[3 * size * size], channels R, G, B. */
    public float[] pixels(byte[] imageBytes) {
        return pixels(ImageDecoder.decode(imageBytes));
    }

    public float[] pixels(ImageDecoder.Rgb img) {
        int w = img.width();
        int h = img.height();
        // shortest side to `size`, the other scaled and truncated (as Hugging Face's CLIPImageProcessor)
        int outW;
        int outH;
        if (w <= h) {
            outW = size;
            outH = (int) ((long) size * h / w);
        } else {
            outH = size;
            outW = (int) ((long) size * w / h);
        }
        int top = (outH - size) / 2;
        int left = (outW - size) / 2;
        float[][] planes = {img.r(), img.g(), img.b()};
        float[] chw = new float[3 * size * size];
        for (int c = 0; c < 3; c++) {
            float[] resized = (outW == w && outH == h) ? planes[c] : BicubicResizer.resize(planes[c], w, h, outW, outH);
            int base = c * size * size;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    float v = resized[(y + top) * outW + (x + left)] / 255f;
                    chw[base + y * size + x] = (v - MEAN[c]) / STD[c];
                }
            }
        }
        return chw;
    }
}
