package io.multivector.plugin.fusion;

/**
 * Distribution-based score fusion, as Qdrant defines it: per list, the mean μ and the sample standard deviation σ
 * of its scores; a score s becomes (s − (μ − 3σ)) / 6σ. A list of one hit, or with σ = 0, gives 0.5. Unlike Qdrant
 * it is floored at 0 (a score more than 3σ below the mean, which a long-tailed list can have), because OpenSearch
 * scores are never negative.
 */
final class DbsfFusion implements FusionMethod {

    static final String NAME = "dbsf";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double[] contributions(float[] scores, FusionOptions options) {
        double mean = Stats.mean(scores);
        double sigma = Stats.sampleStdDev(scores, mean);
        double[] contributions = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            contributions[i] = sigma == 0 ? 0.5 : Math.max(0, (scores[i] - (mean - 3 * sigma)) / (6 * sigma));
        }
        return contributions;
    }
}
