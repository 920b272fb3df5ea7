package io.multivector.rest.models;

import io.multivector.analysis.ModelDefinition;
import io.multivector.analysis.ModelSource;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.secure_sm.AccessController;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Registered models: definitions from the cluster state, files from this node's {@code config/multivector}. */
public final class ConfigModelSource implements ModelSource {

    private final ClusterService clusterService;
    private final Path base;

    public ConfigModelSource(ClusterService clusterService, Path configDir) {
        this.clusterService = clusterService;
        this.base = configDir.resolve("multivector").toAbsolutePath().normalize();
    }

    @Override
    public Map<String, ModelDefinition> definitions() {
        return ModelsMetadata.of(clusterService.state()).models();
    }

    @Override
    public byte[] read(String relativePath) throws IOException {
        Path file = base.resolve(relativePath).normalize();
        if (file.startsWith(base) == false) {
            throw new IOException("[" + relativePath + "] is outside config/multivector");
        }
        try {
            return AccessController.doPrivilegedChecked(() -> Files.readAllBytes(file));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException("no file [" + relativePath + "] in this node's config/multivector directory");
        }
    }
}
