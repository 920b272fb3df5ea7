package io.multivector.codec.search;

import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.Weight;

import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * A fixed set of (document, score) pairs of one index reader: what a top-k query rewrites to. Using it with
 * another reader is a bug, and fails loudly.
 */
public final class DocScoreQuery extends Query {

    private final int[] docs;       // global doc ids, ascending
    private final float[] scores;
    private final Object readerId;
    private final String description;
    /** Explains a hit from its position in the hits the query was built from; null: "within description". */
    private final IntFunction<Explanation> explainHit;
    private final int[] positions;  // of each doc in those hits

    private DocScoreQuery(int[] docs, float[] scores, Object readerId, String description, IntFunction<Explanation> explainHit,
                          int[] positions) {
        this.docs = docs;
        this.scores = scores;
        this.readerId = readerId;
        this.description = description;
        this.explainHit = explainHit;
        this.positions = positions;
    }

    public static DocScoreQuery of(IndexReader reader, ScoreDoc[] hits, String description) {
        return of(reader, hits, description, null);
    }

    /** With {@code explainHit} explaining the hit at a position of {@code hits}; its value must be the hit's score. */
    public static DocScoreQuery of(IndexReader reader, ScoreDoc[] hits, String description, IntFunction<Explanation> explainHit) {
        Integer[] order = new Integer[hits.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> hits[i].doc));
        int[] docs = new int[hits.length];
        float[] scores = new float[hits.length];
        int[] positions = new int[hits.length];
        for (int i = 0; i < order.length; i++) {
            docs[i] = hits[order[i]].doc;
            scores[i] = hits[order[i]].score;
            positions[i] = order[i];
        }
        return new DocScoreQuery(docs, scores, reader.getContext().id(), description, explainHit, positions);
    }

    public int size() {
        return docs.length;
    }

    @Override
    public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) {
        if (searcher.getIndexReader().getContext().id() != readerId) {
            throw new IllegalStateException("a rewritten top-k query was used with another index reader than the one it was built on");
        }
        return new Weight(this) {
            @Override
            public ScorerSupplier scorerSupplier(LeafReaderContext context) {
                int from = lowerBound(context.docBase);
                int to = lowerBound(context.docBase + context.reader().maxDoc());
                if (from == to) {
                    return null;
                }
                Scorer scorer = new LeafScorer(context.docBase, from, to, boost);
                return new ScorerSupplier() {
                    @Override
                    public Scorer get(long leadCost) {
                        return scorer;
                    }

                    @Override
                    public long cost() {
                        return to - from;
                    }
                };
            }

            @Override
            public Explanation explain(LeafReaderContext context, int doc) {
                int i = Arrays.binarySearch(docs, context.docBase + doc);
                if (i < 0) {
                    return Explanation.noMatch("not within " + description);
                }
                if (explainHit == null) {
                    return Explanation.match(scores[i] * boost, "within " + description);
                }
                Explanation explanation = explainHit.apply(positions[i]);
                return boost == 1 ? explanation : Explanation.match(scores[i] * boost, "boost [" + boost + "]", explanation);
            }

            @Override
            public boolean isCacheable(LeafReaderContext ctx) {
                return true;
            }
        };
    }

    private int lowerBound(int globalDoc) {
        int i = Arrays.binarySearch(docs, globalDoc);
        return i >= 0 ? i : -1 - i;
    }

    private final class LeafScorer extends Scorer {
        private final int docBase;
        private final int from;
        private final int to;
        private final float boost;
        private int index;

        LeafScorer(int docBase, int from, int to, float boost) {
            this.docBase = docBase;
            this.from = from;
            this.to = to;
            this.boost = boost;
            this.index = from - 1;
        }

        @Override
        public int docID() {
            if (index < from) {
                return -1;
            }
            return index >= to ? DocIdSetIterator.NO_MORE_DOCS : docs[index] - docBase;
        }

        @Override
        public float score() {
            return scores[index] * boost;
        }

        @Override
        public float getMaxScore(int upTo) {
            float max = 0;
            for (int i = Math.max(index, from); i < to && docs[i] - docBase <= upTo; i++) {
                max = Math.max(max, scores[i]);
            }
            return max * boost;
        }

        @Override
        public DocIdSetIterator iterator() {
            return new DocIdSetIterator() {
                @Override
                public int docID() {
                    return LeafScorer.this.docID();
                }

                @Override
                public int nextDoc() {
                    index++;
                    return docID();
                }

                @Override
                public int advance(int target) {
                    int start = Math.max(index + 1, from);
                    if (start >= to) {
                        index = to;
                        return DocIdSetIterator.NO_MORE_DOCS;
                    }
                    int i = Arrays.binarySearch(docs, start, to, target + docBase);
                    index = i >= 0 ? i : -1 - i;
                    return docID();
                }

                @Override
                public long cost() {
                    return to - from;
                }
            };
        }
    }

    @Override
    public void visit(QueryVisitor visitor) {
        visitor.visitLeaf(this);
    }

    @Override
    public String toString(String field) {
        return "DocScore(" + docs.length + " docs, " + description + ")";
    }

    @Override
    public boolean equals(Object other) {
        if (sameClassAs(other) == false) {
            return false;
        }
        DocScoreQuery that = (DocScoreQuery) other;
        return readerId == that.readerId && Arrays.equals(docs, that.docs) && Arrays.equals(scores, that.scores);
    }

    @Override
    public int hashCode() {
        return Objects.hash(classHash(), Arrays.hashCode(docs), Arrays.hashCode(scores));
    }
}
