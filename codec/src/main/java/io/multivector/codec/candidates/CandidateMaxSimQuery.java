package io.multivector.codec.candidates;

import io.multivector.codec.multivector.ElementType;
import io.multivector.codec.multivector.MaxSim;
import io.multivector.codec.multivector.MaxSimQuery;
import io.multivector.codec.multivector.TokenSimilarity;
import io.multivector.codec.search.TopKQuery;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.ConstantScoreScorer;
import org.apache.lucene.search.ConstantScoreWeight;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.FilterWeight;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.Weight;

import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * The k documents of best MaxSim among candidates: an HNSW search over the field's {@link CandidateField} finds the
 * {@code numCandidates} documents whose encodings are nearest to the query's (filtered inside the graph search, so
 * a selective filter still gives candidates), and exact MaxSim ranks them. A segment that holds no encodings for
 * every one of its matrices under these parameters (written before the candidate index was configured, or with
 * other parameters) is scored exactly, all of it: the answer is never worse than the exact one for lack of an
 * index. Like {@link TopKQuery}, the work runs once, when the weight is created.
 */
public final class CandidateMaxSimQuery extends Query {

    private final String field;
    private final int dims;
    private final ElementType elementType;
    private final TokenSimilarity similarity;
    private final float[][] queryVectors;
    private final FixedDimensionalEncoding encoding;
    private final int k;
    private final int numCandidates;
    private final Query filter;

    public CandidateMaxSimQuery(String field, int dims, ElementType elementType, TokenSimilarity similarity, float[][] queryVectors,
                                FixedDimensionalEncoding encoding, int k, int numCandidates, Query filter) {
        if (k < 1 || numCandidates < k) {
            throw new IllegalArgumentException("need 1 <= k <= num_candidates, got k=" + k + ", num_candidates=" + numCandidates);
        }
        if (encoding.dims() != dims) {
            throw new IllegalArgumentException("the encoding takes [" + encoding.dims() + "] dims, the field has [" + dims + "]");
        }
        this.field = Objects.requireNonNull(field);
        this.dims = dims;
        this.elementType = elementType;
        this.similarity = similarity;
        this.queryVectors = queryVectors;
        this.encoding = encoding;
        this.k = k;
        this.numCandidates = numCandidates;
        this.filter = filter;
    }

    @Override
    public Query rewrite(IndexSearcher searcher) throws IOException {
        if (filter == null) {
            return this;
        }
        Query rewritten = searcher.rewrite(filter);
        return rewritten == filter ? this
            : new CandidateMaxSimQuery(field, dims, elementType, similarity, queryVectors, encoding, k, numCandidates, rewritten);
    }

    @Override
    public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) throws IOException {
        float[] encodedQuery = encoding.encodeQuery(MaxSim.prepareVectors(queryVectors, dims, elementType, similarity));
        String candidateField = CandidateField.name(field, encoding);
        Query graph = searcher.rewrite(new KnnFloatVectorQuery(candidateField, encodedQuery, numCandidates, filter));
        Query candidates = new Candidates(graph, candidateField, filter);
        MaxSimQuery exact = new MaxSimQuery(field, dims, elementType, similarity, queryVectors, candidates);
        Weight top = new TopKQuery(exact, k).resolve(searcher).createWeight(searcher, scoreMode, boost);
        return new FilterWeight(this, top) {
            @Override
            public boolean isCacheable(LeafReaderContext ctx) {
                return false;
            }
        };
    }

    /** True when every matrix of the segment has an encoding under these parameters. */
    boolean covered(LeafReader reader, String candidateField) throws IOException {
        FieldInfo info = reader.getFieldInfos().fieldInfo(candidateField);
        if (CandidateField.encodedWith(info, encoding) == false) {
            return false;
        }
        FloatVectorValues encodings = reader.getFloatVectorValues(candidateField);
        BinaryDocValues matrices = reader.getBinaryDocValues(field);
        return encodings != null && (matrices == null || encodings.size() >= matrices.cost());
    }

    /** Per segment: the graph's candidates where the segment is covered, else every document the filter lets in. */
    private final class Candidates extends Query {
        private final Query graph;
        private final String candidateField;
        private final Query filter;

        Candidates(Query graph, String candidateField, Query filter) {
            this.graph = graph;
            this.candidateField = candidateField;
            this.filter = filter;
        }

        @Override
        public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) throws IOException {
            Weight graphWeight = searcher.createWeight(graph, ScoreMode.COMPLETE_NO_SCORES, 1f);
            Weight filterWeight = filter == null ? null : searcher.createWeight(filter, ScoreMode.COMPLETE_NO_SCORES, 1f);
            return new ConstantScoreWeight(this, boost) {
                @Override
                public ScorerSupplier scorerSupplier(LeafReaderContext context) throws IOException {
                    LeafReader reader = context.reader();
                    if (covered(reader, candidateField)) {
                        return graphWeight.scorerSupplier(context);
                    }
                    if (filterWeight != null) {
                        return filterWeight.scorerSupplier(context);
                    }
                    Scorer all = new ConstantScoreScorer(score(), scoreMode, DocIdSetIterator.all(reader.maxDoc()));
                    return new ScorerSupplier() {
                        @Override
                        public Scorer get(long leadCost) {
                            return all;
                        }

                        @Override
                        public long cost() {
                            return reader.maxDoc();
                        }
                    };
                }

                @Override
                public boolean isCacheable(LeafReaderContext ctx) {
                    return false;
                }
            };
        }

        @Override
        public void visit(QueryVisitor visitor) {
            visitor.visitLeaf(this);
        }

        @Override
        public String toString(String f) {
            return "Candidates(" + candidateField + ")";
        }

        @Override
        public boolean equals(Object other) {
            return this == other;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    @Override
    public void visit(QueryVisitor visitor) {
        if (visitor.acceptField(field)) {
            visitor.visitLeaf(this);
        }
        if (filter != null) {
            filter.visit(visitor.getSubVisitor(org.apache.lucene.search.BooleanClause.Occur.FILTER, this));
        }
    }

    @Override
    public String toString(String f) {
        return "CandidateMaxSim(" + field + ", " + queryVectors.length + " vectors, k=" + k + ", num_candidates=" + numCandidates
            + ", " + encoding.describe() + (filter == null ? "" : ", filter=" + filter) + ")";
    }

    @Override
    public boolean equals(Object other) {
        if (sameClassAs(other) == false) {
            return false;
        }
        CandidateMaxSimQuery that = (CandidateMaxSimQuery) other;
        return field.equals(that.field) && dims == that.dims && elementType == that.elementType && similarity == that.similarity
            && Arrays.deepEquals(queryVectors, that.queryVectors) && encoding.describe().equals(that.encoding.describe()) && k == that.k
            && numCandidates == that.numCandidates && Objects.equals(filter, that.filter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(classHash(), field, Arrays.deepHashCode(queryVectors), encoding.describe(), k, numCandidates, filter);
    }
}
