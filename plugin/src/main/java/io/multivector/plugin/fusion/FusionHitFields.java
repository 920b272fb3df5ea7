package io.multivector.plugin.fusion;

import org.apache.lucene.index.LeafReaderContext;
import org.opensearch.common.document.DocumentField;
import org.opensearch.search.fetch.FetchContext;
import org.opensearch.search.fetch.FetchSubPhase;
import org.opensearch.search.fetch.FetchSubPhaseProcessor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * With {@code subquery_scores: true}, each hit of a fusion carries {@code fields._fusion}: its fused rank and
 * score, and each subquery's rank and raw score, named by the subquery's {@code _name}.
 */
public final class FusionHitFields implements FetchSubPhase {

    public static final String FIELD = "_fusion";

    @Override
    public FetchSubPhaseProcessor getProcessor(FetchContext context) {
        if (context.parsedQuery() == null) {
            return null;
        }
        FusedDocsQuery fused = LeafQueries.find(context.parsedQuery().query(), FusedDocsQuery.class);
        if (fused == null || fused.source.subqueryScores() == false) {
            return null;
        }
        String index = context.getIndexName();
        int shard = context.getQueryShardContext().getShardId();
        Map<String, FusedHit> byId = new HashMap<>();
        Map<Integer, FusedHit> byLuceneDoc = new HashMap<>(); // a list by reference names this shard's docs by doc id
        for (FusedHit hit : fused.source.hits()) {
            if (hit.doc().index().equals(index) == false) {
                continue;
            }
            if (hit.doc().isRef() == false) {
                byId.put(hit.doc().id(), hit);
            } else if (hit.doc().shard() == shard) {
                byLuceneDoc.put(hit.doc().luceneDoc(), hit);
            }
        }
        return new FetchSubPhaseProcessor() {
            @Override
            public void setNextReader(LeafReaderContext readerContext) {}

            @Override
            public void process(HitContext hitContext) {
                FusedHit hit = byId.get(hitContext.hit().getId());
                if (hit == null) {
                    hit = byLuceneDoc.get(hitContext.readerContext().docBase + hitContext.docId());
                }
                if (hit != null) {
                    hitContext.hit().setDocumentField(FIELD, new DocumentField(FIELD, List.of(fused.source.hitDetails(hit))));
                }
            }
        };
    }
}
