package io.multivector.plugin.fusion;

import io.multivector.plugin.search.MultiVectorExt;
import org.apache.lucene.index.LeafReaderContext;
import org.opensearch.common.document.DocumentField;
import org.opensearch.search.SearchHit;
import org.opensearch.search.fetch.FetchContext;
import org.opensearch.search.fetch.FetchSubPhase;
import org.opensearch.search.fetch.FetchSubPhaseProcessor;

import java.util.List;

/**
 * With {@code "ext": {"multivector": {"doc_refs": true}}}, each hit carries {@code fields._doc_ref}: [shard, Lucene
 * doc id, reader view]. Fusion's first round names its hits so, and reads an {@code _id} only where equal scores
 * must be ordered by it: a random document's {@code _id} costs a stored-fields block to decompress.
 */
public final class DocRefs implements FetchSubPhase {

    public static final String FIELD = "_doc_ref";

    @Override
    public FetchSubPhaseProcessor getProcessor(FetchContext context) {
        if ((context.getSearchExt(MultiVectorExt.NAME) instanceof MultiVectorExt ext && ext.docRefs()) == false) {
            return null;
        }
        int shard = context.getQueryShardContext().getShardId();
        long view = ReaderView.of(context.searcher().getIndexReader());
        return new FetchSubPhaseProcessor() {
            @Override
            public void setNextReader(LeafReaderContext readerContext) {}

            @Override
            public void process(HitContext hitContext) {
                int doc = hitContext.readerContext().docBase + hitContext.docId();
                hitContext.hit().setDocumentField(FIELD, new DocumentField(FIELD, List.of(shard, doc, view)));
            }
        };
    }

    /** The hit's document by reference, or null when the hit has none (its node did not add it). */
    static RankedList.Doc of(SearchHit hit) {
        DocumentField field = hit.field(FIELD);
        if (field == null || field.getValues().size() != 3) {
            return null;
        }
        List<Object> values = field.getValues();
        return RankedList.Doc.byRef(hit.getIndex(), ((Number) values.get(0)).intValue(), ((Number) values.get(1)).intValue(),
            ((Number) values.get(2)).longValue());
    }
}
