package io.multivector.plugin.fusion;

/** Reciprocal rank fusion: 1 / (rank_constant + rank), with 1-based global ranks; scores play no part. */
final class RrfFusion implements FusionMethod {

    static final String NAME = "rrf";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double[] contributions(float[] scoresBestFirst, FusionOptions options) {
        double[] contributions = new double[scoresBestFirst.length];
        for (int rank = 1; rank <= contributions.length; rank++) {
            contributions[rank - 1] = 1.0 / (options.rankConstant() + rank);
        }
        return contributions;
    }
}
