package io.multivector.plugin.codec;

import io.multivector.codec.MultiVectorCodec;
import io.multivector.codec.dense.DenseVectorFormats;
import io.multivector.codec.candidates.CandidateField;
import io.multivector.plugin.mapper.DenseIndexOptions;
import io.multivector.plugin.mapper.MultiVectorIndexOptions;
import io.multivector.plugin.mapper.DenseVectorFieldMapper.DenseVectorFieldType;
import io.multivector.plugin.mapper.MultiVectorFieldMapper.MultiVectorFieldType;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.opensearch.index.codec.CodecService;
import org.opensearch.index.codec.CodecServiceConfig;
import org.opensearch.index.codec.CodecServiceFactory;
import org.opensearch.index.mapper.MappedFieldType;
import org.opensearch.index.mapper.MapperService;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gives an index with {@code index.multivector: true} the codec it asked for ({@code index.codec}, default or
 * best_compression...) wrapped so that vector fields of this plugin get their formats; every other field keeps
 * the wrapped codec's formats.
 */
public final class MultiVectorCodecServiceFactory implements CodecServiceFactory {

    @Override
    public CodecService createCodecService(CodecServiceConfig config) {
        return new Service(config);
    }

    private static final class Service extends CodecService {
        private final MapperService mapperService;
        private final Map<String, Codec> wrapped = new ConcurrentHashMap<>();

        Service(CodecServiceConfig config) {
            super(config.getMapperService(), config.getIndexSettings(), config.getLogger(), config.getAdditionalCodecs());
            this.mapperService = config.getMapperService();
        }

        @Override
        public Codec codec(String name) {
            Codec codec = super.codec(name);
            if (mapperService == null) {
                return codec;
            }
            return wrapped.computeIfAbsent(name, n -> new MultiVectorCodec(codec, this::isMultiVectorField, this::denseFormat));
        }

        private boolean isMultiVectorField(String field) {
            return mapperService.fieldType(field) instanceof MultiVectorFieldType;
        }

        /** The per-field HNSW format of a dense_vector field, or null for the wrapped codec's choice. */
        private KnnVectorsFormat denseFormat(String field) {
            if (CandidateField.isCandidateField(field)
                && mapperService.fieldType(CandidateField.parentField(field)) instanceof MultiVectorFieldType multi) {
                // also without options now (removed by a mapping update): older segments' encodings still merge
                MultiVectorIndexOptions options = multi.indexOptions();
                return options == null ? DenseVectorFormats.forField("dot_product", "int8", 16, 100)
                    : DenseVectorFormats.forField("dot_product", options.elementType(), options.m(), options.efConstruction());
            }
            MappedFieldType type = mapperService.fieldType(field);
            if (type instanceof DenseVectorFieldType dense) {
                DenseIndexOptions options = dense.indexOptions();
                return DenseVectorFormats.forField(dense.similarity(), options.elementType(), options.m(), options.efConstruction());
            }
            return null;
        }
    }
}
