package io.multivector.plugin.fusion;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.HitQueue;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.opensearch.search.aggregations.InternalAggregation;
import org.opensearch.search.aggregations.LeafBucketCollector;
import org.opensearch.search.aggregations.metrics.MetricsAggregator;
import org.opensearch.search.internal.SearchContext;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The shard side of {@code top_doc_refs}: keeps the best {@code size} (score, doc) of the request's query as Lucene's
 * top-score collector would (an equal score never displaces a document collected before it), then names them by
 * shard, doc id and the reader's view.
 */
final class TopDocRefsAggregator extends MetricsAggregator {

    private final int size;
    private final HitQueue best;

    TopDocRefsAggregator(String name, SearchContext context, int size, Map<String, Object> metadata) throws IOException {
        super(name, context, null, metadata);
        this.size = size;
        this.best = new HitQueue(size, false);
    }

    @Override
    public ScoreMode scoreMode() {
        return ScoreMode.COMPLETE;
    }

    @Override
    protected LeafBucketCollector getLeafCollector(LeafReaderContext ctx, LeafBucketCollector sub) {
        int docBase = ctx.docBase;
        return new LeafBucketCollector() {
            private Scorable scorer;

            @Override
            public void setScorer(Scorable scorer) {
                this.scorer = scorer;
            }

            @Override
            public void collect(int doc, long bucket) throws IOException {
                float score = scorer.score();
                if (best.size() < size || score > best.top().score) {
                    best.insertWithOverflow(new ScoreDoc(docBase + doc, score));
                }
            }
        };
    }

    @Override
    public InternalAggregation buildAggregation(long bucket) {
        String index = context.shardTarget().getIndex();
        int shard = context.shardTarget().getShardId().id();
        long view = ReaderView.of(context.searcher().getIndexReader());
        RankedList.Hit[] hits = new RankedList.Hit[best.size()];
        for (int i = hits.length - 1; i >= 0; i--) { // the queue pops the worst first
            ScoreDoc top = best.pop();
            hits[i] = new RankedList.Hit(RankedList.Doc.byRef(index, shard, top.doc, view), top.score);
        }
        return new InternalTopDocRefs(name, size, new ArrayList<>(List.of(hits)), metadata());
    }

    @Override
    public InternalAggregation buildEmptyAggregation() {
        return new InternalTopDocRefs(name, size, List.of(), metadata());
    }
}
