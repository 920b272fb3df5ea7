package io.multivector.plugin.fusion;

/** The statistics of one list's scores that the score-based methods need, in double precision. */
final class Stats {

    private Stats() {}

    static double mean(float[] scores) {
        double sum = 0;
        for (float score : scores) {
            sum += score;
        }
        return scores.length == 0 ? 0 : sum / scores.length;
    }

    /** With n − 1 in the denominator; 0 for fewer than two scores. */
    static double sampleStdDev(float[] scores, double mean) {
        if (scores.length < 2) {
            return 0;
        }
        double squares = 0;
        for (float score : scores) {
            squares += (score - mean) * (score - mean);
        }
        return Math.sqrt(squares / (scores.length - 1));
    }
}
