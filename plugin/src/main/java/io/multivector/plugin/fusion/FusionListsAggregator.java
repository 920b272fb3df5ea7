package io.multivector.plugin.fusion;

import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFieldVisitor;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.opensearch.index.mapper.IdFieldMapper;
import org.opensearch.index.mapper.Uid;
import org.opensearch.search.aggregations.Aggregator;
import org.opensearch.search.aggregations.AggregatorBase;
import org.opensearch.search.aggregations.AggregatorFactories;
import org.opensearch.search.aggregations.CardinalityUpperBound;
import org.opensearch.search.aggregations.InternalAggregation;
import org.opensearch.search.aggregations.LeafBucketCollector;
import org.opensearch.search.internal.SearchContext;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The shard side of {@code fusion_lists}: collects nothing from the request's own query; once it has run, searches
 * each subquery over the shard as its own Lucene search of {@code window} hits and names them by {@code _index} and
 * {@code _id}, ordered by score, then {@code _id} (so a tie at the window's end is cut the same way on any layout).
 */
final class FusionListsAggregator extends AggregatorBase {

    private final Query[] queries;
    private final int window;

    FusionListsAggregator(String name, SearchContext context, Aggregator parent, CardinalityUpperBound cardinality, Query[] queries,
                          int window, Map<String, Object> metadata) throws IOException {
        super(name, AggregatorFactories.EMPTY, context, parent, cardinality, metadata);
        this.queries = queries;
        this.window = window;
    }

    @Override
    public ScoreMode scoreMode() {
        return ScoreMode.COMPLETE_NO_SCORES;
    }

    @Override
    protected boolean tryPrecomputeAggregationForLeaf(LeafReaderContext ctx) {
        return true; // the request's own query is a placeholder: skip its documents segment by segment
    }

    @Override
    protected LeafBucketCollector getLeafCollector(LeafReaderContext ctx, LeafBucketCollector sub) {
        return LeafBucketCollector.NO_OP_COLLECTOR;
    }

    @Override
    public InternalAggregation[] buildAggregations(long[] owningBucketOrds) throws IOException {
        List<List<RankedList.Hit>> lists = new ArrayList<>(queries.length);
        for (Query query : queries) {
            checkCancelled();
            lists.add(search(query));
        }
        InternalAggregation[] results = new InternalAggregation[owningBucketOrds.length];
        Arrays.fill(results, new InternalFusionLists(name, window, lists, metadata()));
        return results;
    }

    @Override
    public InternalAggregation buildEmptyAggregation() {
        return new InternalFusionLists(name, window, InternalFusionLists.emptyLists(queries.length), metadata());
    }

    private List<RankedList.Hit> search(Query query) throws IOException {
        WindowCollector collector = new WindowCollector(window);
        context.searcher().search(query, collector);
        String index = context.shardTarget().getIndex();
        int[] docs = new int[collector.count()];
        for (int i = 0; i < docs.length; i++) {
            docs[i] = collector.doc(i);
        }
        String[] ids = readIds(context.searcher().getIndexReader(), docs);
        List<RankedList.Hit> hits = new ArrayList<>(docs.length);
        for (int i = 0; i < docs.length; i++) {
            hits.add(new RankedList.Hit(new RankedList.Doc(index, ids[i]), collector.score(i)));
        }
        hits.sort(InternalFusionLists.ORDER);
        return hits.size() > window ? new ArrayList<>(hits.subList(0, window)) : hits;
    }

    /** The {@code _id} of each global doc id, read from stored fields as the fetch phase reads it, in doc order. */
    private static String[] readIds(IndexReader reader, int[] docs) throws IOException {
        Integer[] order = new Integer[docs.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> docs[i]));
        List<LeafReaderContext> leaves = reader.leaves();
        String[] ids = new String[docs.length];
        IdVisitor visitor = new IdVisitor();
        int leafIndex = -1;
        StoredFields storedFields = null;
        for (int i : order) {
            int leaf = ReaderUtil.subIndex(docs[i], leaves);
            if (leaf != leafIndex) {
                leafIndex = leaf;
                storedFields = leaves.get(leaf).reader().storedFields();
            }
            visitor.id = null;
            storedFields.document(docs[i] - leaves.get(leaf).docBase, visitor);
            ids[i] = visitor.id;
        }
        return ids;
    }

    private static final class IdVisitor extends StoredFieldVisitor {
        String id;

        @Override
        public Status needsField(FieldInfo fieldInfo) {
            if (IdFieldMapper.NAME.equals(fieldInfo.name)) {
                return Status.YES;
            }
            return id == null ? Status.NO : Status.STOP;
        }

        @Override
        public void binaryField(FieldInfo fieldInfo, byte[] value) {
            id = Uid.decodeId(value);
        }
    }
}
