package io.multivector.analysis;

import java.io.IOException;
import java.util.Map;

/** Where registered models come from: their definitions (cluster-wide) and their files (in the node's config). */
public interface ModelSource {

    /** The registered models by id, built-ins excluded. */
    Map<String, ModelDefinition> definitions();

    /** A file of {@code config/multivector}, by a path {@link ModelDefinition} has checked. */
    byte[] read(String relativePath) throws IOException;

    ModelSource NONE = new ModelSource() {
        @Override
        public Map<String, ModelDefinition> definitions() {
            return Map.of();
        }

        @Override
        public byte[] read(String relativePath) throws IOException {
            throw new IOException("no model files in this registry");
        }
    };
}
