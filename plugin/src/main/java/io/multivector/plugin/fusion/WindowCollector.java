package io.multivector.plugin.fusion;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreMode;

import java.util.Arrays;

/**
 * One subquery's best {@code window} hits on one shard, plus every hit tied with the worst of them: which of two
 * equal-scored documents makes the window's last place must not depend on Lucene doc order (it differs between one
 * shard and three), so the caller cuts the ties by {@code _id}. Tells the scorer the lowest competitive score, so
 * BM25 still skips blocks (block-max WAND) and only strictly lower scores are skipped. Each tie costs an {@code _id}
 * read (about what a fetch of one hit costs), so at most {@link #MAX_TIES} are kept: a longer run of equal scores
 * (BM25 on a short field gave hundreds; a constant-score subquery gives all its hits) is cut in doc order past them,
 * as any search cuts it. Reading every tie made a BM25 subquery 2.7x slower than a search of it.
 */
final class WindowCollector implements Collector {

    static final int MAX_TIES = 32;

    private final int window;
    /** A min-heap on score of at most {@code window} hits. */
    private final int[] heapDocs;
    private final float[] heapScores;
    private int size;
    /** Hits outside the heap whose score equals the heap's minimum. */
    private int[] ties = new int[8];
    private int tieCount;

    WindowCollector(int window) {
        this.window = window;
        this.heapDocs = new int[window];
        this.heapScores = new float[window];
    }

    @Override
    public ScoreMode scoreMode() {
        return ScoreMode.TOP_SCORES;
    }

    @Override
    public LeafCollector getLeafCollector(LeafReaderContext context) {
        int docBase = context.docBase;
        return new LeafCollector() {
            private Scorable scorer;

            @Override
            public void setScorer(Scorable scorer) throws java.io.IOException {
                this.scorer = scorer;
                if (size == window) {
                    scorer.setMinCompetitiveScore(minCompetitive());
                }
            }

            @Override
            public void collect(int doc) throws java.io.IOException {
                float score = scorer.score();
                int global = docBase + doc;
                if (size < window) {
                    push(global, score);
                    if (size == window) {
                        scorer.setMinCompetitiveScore(minCompetitive());
                    }
                } else if (score == heapScores[0]) {
                    if (addTie(global) == false) {
                        scorer.setMinCompetitiveScore(minCompetitive());
                    }
                } else if (score > heapScores[0]) {
                    int poppedDoc = heapDocs[0];
                    float poppedScore = heapScores[0];
                    replaceTop(global, score);
                    if (poppedScore == heapScores[0]) {
                        addTie(poppedDoc);
                    } else {
                        tieCount = 0; // they scored below the new minimum
                    }
                    scorer.setMinCompetitiveScore(minCompetitive());
                }
            }
        };
    }

    /** Hits tied with the window's worst still count until {@link #MAX_TIES} of them are kept. */
    private float minCompetitive() {
        return tieCount < MAX_TIES ? heapScores[0] : Math.nextUp(heapScores[0]);
    }

    /** Global doc ids and scores of the window and its ties, in no order. */
    int count() {
        return size + tieCount;
    }

    int doc(int i) {
        return i < size ? heapDocs[i] : ties[i - size];
    }

    float score(int i) {
        return i < size ? heapScores[i] : heapScores[0];
    }

    /** Whether the tie was kept. */
    private boolean addTie(int doc) {
        if (tieCount == MAX_TIES) {
            return false;
        }
        if (tieCount == ties.length) {
            ties = Arrays.copyOf(ties, ties.length * 2);
        }
        ties[tieCount++] = doc;
        return true;
    }

    private void push(int doc, float score) {
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heapScores[parent] <= score) {
                break;
            }
            heapDocs[i] = heapDocs[parent];
            heapScores[i] = heapScores[parent];
            i = parent;
        }
        heapDocs[i] = doc;
        heapScores[i] = score;
    }

    private void replaceTop(int doc, float score) {
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && heapScores[child + 1] < heapScores[child]) {
                child++;
            }
            if (heapScores[child] >= score) {
                break;
            }
            heapDocs[i] = heapDocs[child];
            heapScores[i] = heapScores[child];
            i = child;
        }
        heapDocs[i] = doc;
        heapScores[i] = score;
    }
}
