package io.multivector.plugin.fusion;

import io.multivector.codec.search.DocScoreQuery;
import org.apache.lucene.index.IndexReader;
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
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * The fused list's documents of one shard, scored with their fused scores. Documents by reference are the shard's
 * Lucene doc ids in the reader view the subqueries saw; if this shard's reader shows another view (a refresh with
 * changes came in between, or another copy of the shard answered), the query fails with {@link #VIEW_CHANGED} and
 * the fusion is run again. Documents by {@code _id} are looked up: a document deleted in between is simply not found.
 */
final class FusedDocsQuery extends Query {

    /** What the failure of a list by reference says; the fusion that sent it runs again when it sees this. */
    static final String VIEW_CHANGED = "[fused_docs] the shard's reader changed since the fusion's subqueries ran";

    private final List<RankedList.Doc> docs;
    private final List<Float> scores;
    private final IntFunction<Explanation> explainHit;
    /** What {@link FusionHitFields} reads back for a hit; never part of equality. */
    final FusedDocsQueryBuilder source;

    FusedDocsQuery(List<RankedList.Doc> docs, List<Float> scores, IntFunction<Explanation> explainHit, FusedDocsQueryBuilder source) {
        this.docs = docs;
        this.scores = scores;
        this.explainHit = explainHit;
        this.source = source;
    }

    @Override
    public Query rewrite(IndexSearcher searcher) throws IOException {
        IndexReader reader = searcher.getIndexReader();
        List<ScoreDoc> found = new ArrayList<>(docs.size());
        List<Integer> positions = new ArrayList<>(docs.size());
        if (docs.get(0).isRef()) {
            long view = ReaderView.of(reader);
            for (int i = 0; i < docs.size(); i++) {
                if (docs.get(i).view() != view) {
                    throw new IllegalStateException(VIEW_CHANGED);
                }
                found.add(new ScoreDoc(docs.get(i).luceneDoc(), scores.get(i)));
                positions.add(i);
            }
        } else {
            findByIds(reader, found, positions);
        }
        return DocScoreQuery.of(reader, found.toArray(new ScoreDoc[0]), "the fused list",
            explainHit == null ? null : position -> explainHit.apply(positions.get(position)));
    }

    private void findByIds(IndexReader reader, List<ScoreDoc> found, List<Integer> positions) throws IOException {
        for (LeafReaderContext leaf : reader.leaves()) {
            LeafReader leafReader = leaf.reader();
            Terms terms = leafReader.terms(IdFieldMapper.NAME);
            if (terms == null) {
                continue;
            }
            TermsEnum termsEnum = terms.iterator();
            Bits live = leafReader.getLiveDocs();
            PostingsEnum postings = null;
            for (int i = 0; i < docs.size(); i++) {
                if (termsEnum.seekExact(Uid.encodeId(docs.get(i).id())) == false) {
                    continue;
                }
                postings = termsEnum.postings(postings, PostingsEnum.NONE);
                for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
                    if (live == null || live.get(doc)) {
                        found.add(new ScoreDoc(leaf.docBase + doc, scores.get(i)));
                        positions.add(i);
                        break;
                    }
                }
            }
        }
    }

    @Override
    public void visit(QueryVisitor visitor) {
        visitor.visitLeaf(this);
    }

    @Override
    public String toString(String field) {
        return "FusedDocs(" + docs.size() + " docs)";
    }

    @Override
    public boolean equals(Object other) {
        return sameClassAs(other) && docs.equals(((FusedDocsQuery) other).docs) && scores.equals(((FusedDocsQuery) other).scores);
    }

    @Override
    public int hashCode() {
        return Objects.hash(classHash(), docs, scores);
    }
}
