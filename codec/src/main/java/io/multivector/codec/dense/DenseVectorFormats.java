package io.multivector.codec.dense;

import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.index.VectorSimilarityFunction;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The vectors format of a dense vector field, from its mapping: similarity, precision and HNSW parameters. */
public final class DenseVectorFormats {

    private static final Map<String, KnnVectorsFormat> CACHE = new ConcurrentHashMap<>();

    private DenseVectorFormats() {}

    /** One instance per distinct parameters, so that fields with equal parameters share their files. */
    public static KnnVectorsFormat forField(String similarity, String elementType, int m, int efConstruction) {
        luceneSimilarity(similarity);
        String key = similarity + "/" + elementType + "/" + m + "/" + efConstruction;
        return CACHE.computeIfAbsent(key, k -> create(similarity, elementType, m, efConstruction));
    }

    private static KnnVectorsFormat create(String similarity, String elementType, int m, int efConstruction) {
        return switch (elementType) {
            case "float" -> similarity.equals("l1") ? new L1HnswVectorsFormat(m, efConstruction) : new Lucene99HnswVectorsFormat(m, efConstruction);
            case "int8" -> {
                if (similarity.equals("l1")) {
                    throw new IllegalArgumentException("element_type [int8] is not supported with similarity [l1]: use element_type [float]");
                }
                yield new Lucene104HnswScalarQuantizedVectorsFormat(m, efConstruction);
            }
            default -> throw new IllegalArgumentException("unknown element_type [" + elementType + "]");
        };
    }

    /**
     * The similarity recorded in the field info. {@code dot_product} is Lucene's maximum inner product, which
     * takes vectors of any length; {@code l1} records EUCLIDEAN, but its format scores by L1 whatever is recorded.
     */
    public static VectorSimilarityFunction luceneSimilarity(String similarity) {
        return switch (similarity) {
            case "cosine" -> VectorSimilarityFunction.COSINE;
            case "dot_product" -> VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT;
            case "l2", "l1" -> VectorSimilarityFunction.EUCLIDEAN;
            default -> throw new IllegalArgumentException("unknown similarity [" + similarity + "]");
        };
    }
}
