package io.multivector.plugin.ingest;

import org.opensearch.ingest.Processor;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Ingest factories are asked for before the plugin's components exist; this one builds the real factory on
 * first use, when they do.
 */
public final class LazyProcessorFactory implements Processor.Factory {

    private final Supplier<Processor.Factory> factory;
    private volatile Processor.Factory delegate;

    public LazyProcessorFactory(Supplier<Processor.Factory> factory) {
        this.factory = factory;
    }

    @Override
    public Processor create(Map<String, Processor.Factory> factories, String tag, String description, Map<String, Object> config)
        throws Exception {
        if (delegate == null) {
            delegate = factory.get();
        }
        return delegate.create(factories, tag, description, config);
    }
}
