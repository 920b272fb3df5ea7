package io.multivector.plugin.fusion;

import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;

/** Finds our own query inside what OpenSearch built around it (alias filters, a bool query, a boost). */
final class LeafQueries {

    private LeafQueries() {}

    /** The last leaf of {@code type} in {@code query}, or null. */
    static <T extends Query> T find(Query query, Class<T> type) {
        Object[] found = new Object[1];
        query.visit(new QueryVisitor() {
            @Override
            public void visitLeaf(Query leaf) {
                if (type.isInstance(leaf)) {
                    found[0] = leaf;
                }
            }

            @Override
            public QueryVisitor getSubVisitor(BooleanClause.Occur occur, Query parent) {
                return this;
            }
        });
        return type.cast(found[0]);
    }
}
