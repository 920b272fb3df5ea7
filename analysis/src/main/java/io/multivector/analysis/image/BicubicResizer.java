package io.multivector.analysis.image;

/**
 * Separable bicubic resampling (a = -0.5) in the way PIL does it, which is what CLIP's preprocessing uses:
 * when shrinking, the kernel is stretched by the scale factor so that it averages over all source pixels
 * (antialiasing) instead of sampling a few; each pass rounds and clamps to 0..255 like PIL's 8-bit images.
 */
public final class BicubicResizer {

    private static final double SUPPORT = 2.0;

    private BicubicResizer() {}

    static double kernel(double x) {
        final double a = -0.5;
        x = Math.abs(x);
        if (x < 1) {
            return ((a + 2) * x - (a + 3)) * x * x + 1;
        }
        if (x < 2) {
            return (((x - 5) * x + 8) * x - 4) * a;
        }
        return 0;
    }

    /** Resizes one row-major plane of size inW x inH to outW x outH. */
    public static float[] resize(float[] plane, int inW, int inH, int outW, int outH) {
        float[] horizontal = new float[outW * inH];
        Taps tx = taps(inW, outW);
        for (int y = 0; y < inH; y++) {
            for (int x = 0; x < outW; x++) {
                double s = 0;
                for (int k = 0; k < tx.count[x]; k++) {
                    s += plane[y * inW + tx.first[x] + k] * tx.weights[x][k];
                }
                horizontal[y * outW + x] = clamp(s);
            }
        }
        float[] out = new float[outW * outH];
        Taps ty = taps(inH, outH);
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                double s = 0;
                for (int k = 0; k < ty.count[y]; k++) {
                    s += horizontal[(ty.first[y] + k) * outW + x] * ty.weights[y][k];
                }
                out[y * outW + x] = clamp(s);
            }
        }
        return out;
    }

    private static float clamp(double v) {
        return (float) Math.min(255, Math.max(0, Math.round(v)));
    }

    private record Taps(int[] first, int[] count, double[][] weights) {}

    /** For each output index, the source range it reads and the normalized kernel weights over that range. */
    private static Taps taps(int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = SUPPORT * filterScale;
        int[] first = new int[outSize];
        int[] count = new int[outSize];
        double[][] weights = new double[outSize][];
        for (int i = 0; i < outSize; i++) {
            double center = (i + 0.5) * scale;
            int lo = Math.max((int) (center - support + 0.5), 0);
            int hi = Math.min((int) (center + support + 0.5), inSize);
            double[] w = new double[hi - lo];
            double sum = 0;
            for (int k = 0; k < w.length; k++) {
                w[k] = kernel((k + lo - center + 0.5) / filterScale);
                sum += w[k];
            }
            for (int k = 0; k < w.length; k++) {
                w[k] = sum == 0 ? 0 : w[k] / sum;
            }
            first[i] = lo;
            count[i] = w.length;
            weights[i] = w;
        }
        return new Taps(first, count, weights);
    }
}
