package io.multivector.plugin.fusion;

import java.util.Arrays;
import java.util.Locale;

/** How {@code linear} puts one list's scores on a common scale before weighting them. */
enum Normalization {

    /** (s − min) / (max − min); every score 1 when they are all equal (one hit included). */
    MIN_MAX {
        @Override
        double[] apply(float[] scores) {
            double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
            for (float score : scores) {
                min = Math.min(min, score);
                max = Math.max(max, score);
            }
            double[] normalized = new double[scores.length];
            for (int i = 0; i < scores.length; i++) {
                normalized[i] = max == min ? 1 : (scores[i] - min) / (max - min);
            }
            return normalized;
        }
    },
    /** s / √Σs²; all 0 when every score is 0. */
    L2 {
        @Override
        double[] apply(float[] scores) {
            double squares = 0;
            for (float score : scores) {
                squares += (double) score * score;
            }
            double norm = Math.sqrt(squares);
            double[] normalized = new double[scores.length];
            for (int i = 0; i < scores.length; i++) {
                normalized[i] = norm == 0 ? 0 : scores[i] / norm;
            }
            return normalized;
        }
    },
    /**
     * max(0, (s − μ) / σ) with the sample σ; 0 for one hit or σ = 0. Floored at 0 because OpenSearch scores are
     * never negative: a below-average document contributes what a missing one does.
     */
    Z_SCORE {
        @Override
        double[] apply(float[] scores) {
            double mean = Stats.mean(scores);
            double sigma = Stats.sampleStdDev(scores, mean);
            double[] normalized = new double[scores.length];
            for (int i = 0; i < scores.length; i++) {
                normalized[i] = sigma == 0 ? 0 : Math.max(0, (scores[i] - mean) / sigma);
            }
            return normalized;
        }
    },
    /** The raw scores: only meaningful when the subqueries score on one scale. */
    NONE {
        @Override
        double[] apply(float[] scores) {
            double[] raw = new double[scores.length];
            for (int i = 0; i < scores.length; i++) {
                raw[i] = scores[i];
            }
            return raw;
        }
    };

    abstract double[] apply(float[] scores);

    String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Normalization of(String name) {
        for (Normalization normalization : values()) {
            if (normalization.jsonName().equals(name)) {
                return normalization;
            }
        }
        throw new IllegalArgumentException("[fusion] unknown [normalization] [" + name + "]: use one of "
            + Arrays.stream(values()).map(Normalization::jsonName).toList());
    }
}
