package io.multivector.plugin.fusion;

/** The weighted sum of each list's scores after the chosen {@link Normalization}. */
final class LinearFusion implements FusionMethod {

    static final String NAME = "linear";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double[] contributions(float[] scores, FusionOptions options) {
        return options.normalizationMethod().apply(scores);
    }
}
