package io.multivector.plugin.query;

import io.multivector.codec.candidates.CandidateMaxSimQuery;
import io.multivector.codec.multivector.MaxSimQuery;
import io.multivector.codec.search.TopKQuery;
import io.multivector.plugin.mapper.DenseVectorFieldMapper.DenseVectorFieldType;
import io.multivector.plugin.mapper.MultiVectorFieldMapper.MultiVectorFieldType;
import io.multivector.plugin.mapper.VectorFieldType;
import io.multivector.plugin.mapper.VectorParsing;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;

/** Turns a parsed {@code vector} query into the Lucene query for the field's kind. */
final class VectorQueries {

    static final int DEFAULT_K = 10;
    static final int MAX_CANDIDATES = 10_000;

    /**
     * The documents a first-stage search scores exactly when the query does not say: max(1000, 10·k), or 2.5% of the
     * shard's documents when that is more, at most 10,000. On real text (man-page passages, minilm-tokens) a fixed 1000
     * kept 0.93 recall@10 of exact MaxSim at 90k documents where 2.5% kept 0.95 at 4% of the exact scan's latency
     * (benchmarks/first-stage.sh --text): a larger index needs more candidates for the same recall.
     */
    static int defaultCandidates(int k, int shardDocs) {
        return Math.min(MAX_CANDIDATES, Math.max(Math.max(1000, 10 * k), shardDocs / 40));
    }

    private VectorQueries() {}

    static Query build(VectorFieldType field, float[][] vectors, boolean single, Integer k, Integer numCandidates, Query filter,
                       boolean exact, int shardDocs) {
        if (field instanceof MultiVectorFieldType multi) {
            VectorParsing.checkMatrix(vectors, multi.dims(), -1);
            if (k != null && exact == false && multi.encoding() != null) {
                int candidates = numCandidates != null ? Math.max(numCandidates, k) : defaultCandidates(k, shardDocs);
                return new CandidateMaxSimQuery(multi.name(), multi.dims(), multi.elementType(), multi.similarity(), vectors,
                    multi.encoding(), k, candidates, filter);
            }
            MaxSimQuery maxSim = new MaxSimQuery(multi.name(), multi.dims(), multi.elementType(), multi.similarity(), vectors, filter);
            return k == null ? maxSim : new TopKQuery(maxSim, k);
        }
        DenseVectorFieldType dense = (DenseVectorFieldType) field;
        if (vectors.length != 1) {
            throw new IllegalArgumentException("a dense_vector field takes one [query_vector], got [" + vectors.length + "] vectors");
        }
        float[] vector = VectorParsing.checkVector(vectors[0], dense.dims(), -1);
        if (VectorParsing.isZero(vector) && dense.similarity().equals("cosine")) {
            throw new IllegalArgumentException("a zero query vector has no direction: similarity [cosine] cannot score it");
        }
        int topK = k == null ? DEFAULT_K : k;
        if (numCandidates != null && numCandidates < topK) { // with k given, the query builder already said so
            throw new IllegalArgumentException("[num_candidates] [" + numCandidates + "] must be at least [k], which defaults to ["
                + DEFAULT_K + "] on a dense_vector field");
        }
        int breadth = Math.max(topK, numCandidates == null ? Math.max(100, topK) : numCandidates);
        // Lucene's graph search keeps `breadth` candidates (ef); only the best k of them are hits. Always through
        // TopKQuery, also when breadth == k: Lucene's kNN query searches the graph at rewrite, which OpenSearch runs
        // again in the fetch phase of a search over several shards; TopKQuery searches once, at weight creation.
        return new TopKQuery(new KnnFloatVectorQuery(dense.name(), vector, breadth, filter), topK);
    }
}
