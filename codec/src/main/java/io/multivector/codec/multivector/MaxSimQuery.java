package io.multivector.codec.multivector;

import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.ConjunctionUtils;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.Weight;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Matches every document with a token matrix in the field (and matching the filter, if any) and scores it by
 * {@link TokenSimilarity#toScore MaxSim}, exactly. The score is computed only when asked for, so as a rescore
 * query only the window's documents are scored. Wrap it in a top-k query to keep the k best.
 */
public final class MaxSimQuery extends Query {

    private final String field;
    private final int dims;
    private final ElementType elementType;
    private final TokenSimilarity similarity;
    private final float[][] queryVectors;
    private final MaxSim.PreparedQuery prepared;
    private final Query filter;

    public MaxSimQuery(String field, int dims, ElementType elementType, TokenSimilarity similarity, float[][] queryVectors, Query filter) {
        this.field = Objects.requireNonNull(field);
        this.dims = dims;
        this.elementType = Objects.requireNonNull(elementType);
        this.similarity = Objects.requireNonNull(similarity);
        this.queryVectors = queryVectors;
        this.prepared = MaxSim.prepare(queryVectors, dims, elementType, similarity);
        this.filter = filter;
    }

    @Override
    public Query rewrite(IndexSearcher searcher) throws IOException {
        if (filter == null) {
            return this;
        }
        Query rewritten = searcher.rewrite(filter);
        return rewritten == filter ? this : new MaxSimQuery(field, dims, elementType, similarity, queryVectors, rewritten);
    }

    @Override
    public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) throws IOException {
        Weight filterWeight = filter == null ? null : searcher.createWeight(filter, ScoreMode.COMPLETE_NO_SCORES, 1f);
        return new Weight(this) {
            @Override
            public ScorerSupplier scorerSupplier(LeafReaderContext context) throws IOException {
                BinaryDocValues values = context.reader().getBinaryDocValues(field);
                if (values == null) {
                    return null;
                }
                DocIdSetIterator iterator = values;
                if (filterWeight != null) {
                    Scorer filterScorer = filterWeight.scorer(context);
                    if (filterScorer == null) {
                        return null;
                    }
                    iterator = ConjunctionUtils.intersectIterators(List.of(values, filterScorer.iterator()));
                }
                Scorer scorer = new MaxSimScorer(values, iterator, boost);
                return new ScorerSupplier() {
                    @Override
                    public Scorer get(long leadCost) {
                        return scorer;
                    }

                    @Override
                    public long cost() {
                        return scorer.iterator().cost();
                    }
                };
            }

            @Override
            public Explanation explain(LeafReaderContext context, int doc) throws IOException {
                Scorer scorer = scorer(context);
                if (scorer == null || scorer.iterator().advance(doc) != doc) {
                    return Explanation.noMatch("no token vectors in [" + field + "]" + (filter == null ? "" : " matching the filter"));
                }
                float maxSim = ((MaxSimScorer) scorer).maxSim();
                return Explanation.match(scorer.score(), "MaxSim score, maxSim >= 0 ? maxSim + 1 : 1 / (1 - maxSim), times boost " + boost,
                    Explanation.match(maxSim, "maxSim of " + prepared.size() + " query vectors over [" + field + "] ("
                        + elementType.name().toLowerCase(java.util.Locale.ROOT) + ", " + similarity.name().toLowerCase(java.util.Locale.ROOT) + ")"));
            }

            @Override
            public boolean isCacheable(LeafReaderContext ctx) {
                return DocValues.isCacheable(ctx, field);
            }
        };
    }

    private final class MaxSimScorer extends Scorer {
        private final BinaryDocValues values;
        private final DocIdSetIterator iterator;
        private final float boost;
        private final MaxSim.DocScorer docScorer = prepared.newDocScorer();

        MaxSimScorer(BinaryDocValues values, DocIdSetIterator iterator, float boost) {
            this.values = values;
            this.iterator = iterator;
            this.boost = boost;
        }

        float maxSim() throws IOException {
            return docScorer.maxSim(values);
        }

        @Override
        public float score() throws IOException {
            return boost * TokenSimilarity.toScore(maxSim());
        }

        @Override
        public float getMaxScore(int upTo) {
            return Float.POSITIVE_INFINITY;
        }

        @Override
        public int docID() {
            return iterator.docID();
        }

        @Override
        public DocIdSetIterator iterator() {
            return iterator;
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
        return "MaxSim(" + field + ", " + queryVectors.length + " vectors" + (filter == null ? "" : ", filter=" + filter) + ")";
    }

    @Override
    public boolean equals(Object other) {
        if (sameClassAs(other) == false) {
            return false;
        }
        MaxSimQuery that = (MaxSimQuery) other;
        return field.equals(that.field) && dims == that.dims && elementType == that.elementType && similarity == that.similarity
            && Arrays.deepEquals(queryVectors, that.queryVectors) && Objects.equals(filter, that.filter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(classHash(), field, dims, elementType, similarity, Arrays.deepHashCode(queryVectors), filter);
    }
}
