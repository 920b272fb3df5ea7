package io.multivector.plugin.fusion;

import io.multivector.codec.search.DocScoreQuery;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.util.Bits;
import org.opensearch.index.mapper.IdFieldMapper;
import org.opensearch.index.mapper.Uid;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * The fused list's documents of one shard, found by {@code _id} and scored with their fused scores. Ids, not Lucene
 * doc ids, carry the list from the coordinator to the shards: a refresh between the subqueries and this query
 * cannot make it score another document; a document deleted in between is simply not found.
 */
final class FusedDocsQuery extends Query {

    private final String[] ids;
    private final float[] scores;
    private final IntFunction<Explanation> explainHit;
    /** What {@link FusionHitFields} reads back for a hit, by id; never part of equality. */
    final FusedDocsQueryBuilder source;

    FusedDocsQuery(String[] ids, float[] scores, IntFunction<Explanation> explainHit, FusedDocsQueryBuilder source) {
        this.ids = ids;
        this.scores = scores;
        this.explainHit = explainHit;
        this.source = source;
    }

    @Override
    public Query rewrite(IndexSearcher searcher) throws IOException {
        List<ScoreDoc> found = new ArrayList<>(ids.length);
        List<Integer> positions = new ArrayList<>(ids.length);
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            LeafReader reader = leaf.reader();
            Terms terms = reader.terms(IdFieldMapper.NAME);
            if (terms == null) {
                continue;
            }
            TermsEnum termsEnum = terms.iterator();
            Bits live = reader.getLiveDocs();
            PostingsEnum postings = null;
            for (int i = 0; i < ids.length; i++) {
                if (termsEnum.seekExact(Uid.encodeId(ids[i])) == false) {
                    continue;
                }
                postings = termsEnum.postings(postings, PostingsEnum.NONE);
                for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
                    if (live == null || live.get(doc)) {
                        found.add(new ScoreDoc(leaf.docBase + doc, scores[i]));
                        positions.add(i);
                        break;
                    }
                }
            }
        }
        return DocScoreQuery.of(searcher.getIndexReader(), found.toArray(new ScoreDoc[0]), "the fused list",
            explainHit == null ? null : position -> explainHit.apply(positions.get(position)));
    }

    @Override
    public void visit(QueryVisitor visitor) {
        visitor.visitLeaf(this);
    }

    @Override
    public String toString(String field) {
        return "FusedDocs(" + ids.length + " docs)";
    }

    @Override
    public boolean equals(Object other) {
        return sameClassAs(other) && Arrays.equals(ids, ((FusedDocsQuery) other).ids) && Arrays.equals(scores, ((FusedDocsQuery) other).scores);
    }

    @Override
    public int hashCode() {
        return Objects.hash(classHash(), Arrays.hashCode(ids), Arrays.hashCode(scores));
    }
}
