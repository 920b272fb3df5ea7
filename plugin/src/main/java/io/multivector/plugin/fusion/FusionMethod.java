package io.multivector.plugin.fusion;

import java.util.List;
import java.util.Map;

/**
 * How one subquery's list turns into what each of its documents contributes to the fused score, before the
 * subquery's weight: the fused score of a document is Σᵢ wᵢ · contributionᵢ, and a list the document is
 * missing from contributes 0. One small class per method.
 */
interface FusionMethod {

    String name();

    /** Contributions of the list's hits, in the list's order (best first). */
    double[] contributions(float[] scoresBestFirst, FusionOptions options);

    Map<String, FusionMethod> BY_NAME = Map.of(RrfFusion.NAME, new RrfFusion(), DbsfFusion.NAME, new DbsfFusion(),
        LinearFusion.NAME, new LinearFusion());

    List<String> NAMES = List.of(RrfFusion.NAME, DbsfFusion.NAME, LinearFusion.NAME);

    static FusionMethod of(String name) {
        FusionMethod method = BY_NAME.get(name);
        if (method == null) {
            throw new IllegalArgumentException("[fusion] unknown [method] [" + name + "]: use one of " + NAMES);
        }
        return method;
    }
}
