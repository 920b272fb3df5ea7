package io.multivector.analysis.encoder;

import io.multivector.analysis.tokenizer.Encoding;
import io.multivector.analysis.tokenizer.SpecialTokens;
import io.multivector.analysis.tokenizer.TextTokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Text encoders over a {@link BertSession}: {@code text_dense} pools the token states (masked mean, or CLS) into one
 * vector; {@code text_tokens} keeps one vector per token, ColBERT style: documents drop [CLS], their marker, [SEP] and
 * punctuation, queries keep every token. The {@link TextEncoding} says what goes in besides the text: prefixes, a marker
 * after [CLS], and for token models whether queries are padded with [MASK] (query augmentation). An optional
 * {@link Projection} maps the model's outputs to {@code dims} values; vectors are then L2-normalized when asked.
 */
public final class BertEncoder implements Encoder {

    public enum Pooling { MEAN, CLS }

    private final String id;
    private final ModelKind kind;
    private final BertSession session;
    private final int dims;
    private final int maxTokens;
    private final TextEncoding textEncoding;
    /** The markers' token ids, or -1 for none. */
    private final int queryMarkerId;
    private final int documentMarkerId;
    private final Pooling pooling;
    private final boolean normalize;
    private final Projection projection;
    private final EncoderStats stats = new EncoderStats();

    public BertEncoder(String id, ModelKind kind, BertSession session, int dims, int maxTokens, TextEncoding encoding, Pooling pooling,
                       boolean normalize) {
        this(id, kind, session, dims, maxTokens, encoding, pooling, normalize, null);
    }

    /** With {@code projection} (may be null): the model outputs {@code projection.hidden()} values, projected to {@code dims}. */
    public BertEncoder(String id, ModelKind kind, BertSession session, int dims, int maxTokens, TextEncoding encoding, Pooling pooling,
                       boolean normalize, Projection projection) {
        if (encoding.queryAugmentation() && kind != ModelKind.TEXT_TOKENS) {
            throw new IllegalArgumentException("[query_augmentation] is only for text_tokens models");
        }
        if (encoding.queryAugmentation() && session.tokenizer().specialTokens().mask() < 0) {
            throw new IllegalArgumentException("[query_augmentation] pads queries with the mask token, and the tokenizer.json has none"
                + " ([MASK] or <mask>)");
        }
        if ((encoding.queryMarker() != null || encoding.documentMarker() != null) && maxTokens < 3) {
            throw new IllegalArgumentException("a marker needs [max_tokens] of at least 3 ([CLS], the marker, [SEP])");
        }
        this.id = id;
        this.kind = kind;
        this.session = session;
        this.dims = dims;
        this.maxTokens = maxTokens;
        this.textEncoding = encoding;
        this.queryMarkerId = markerId(session.tokenizer(), "query_marker", encoding.queryMarker());
        this.documentMarkerId = markerId(session.tokenizer(), "document_marker", encoding.documentMarker());
        this.pooling = pooling;
        this.normalize = normalize;
        this.projection = projection;
    }

    private static int markerId(TextTokenizer tokenizer, String key, String marker) {
        if (marker == null) {
            return -1;
        }
        Integer id = tokenizer.tokenId(marker);
        if (id == null) {
            throw new IllegalArgumentException("[" + key + "] [" + marker + "] is not a token of the model's tokenizer.json");
        }
        return id;
    }

    /** The effective settings: how texts become input ids. */
    public TextEncoding encoding() {
        return textEncoding;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public ModelKind kind() {
        return kind;
    }

    @Override
    public int dims() {
        return dims;
    }

    @Override
    public EncoderStats stats() {
        return stats;
    }

    @Override
    public long modelBytes() {
        return session.modelBytes;
    }

    @Override
    public List<float[][]> encode(List<String> texts, boolean asQuery) {
        return encodeTogether(List.of(this), texts, asQuery).get(0);
    }

    /**
     * Encodes the same texts for several encoders; those over one session with the same tokenization (the built-in
     * minilm and minilm-tokens) share one run of the network, and only pool differently.
     */
    public static List<List<float[][]>> encodeTogether(List<BertEncoder> encoders, List<String> texts, boolean asQuery) {
        BertEncoder first = encoders.get(0);
        for (BertEncoder encoder : encoders) {
            if (encoder.session != first.session || encoder.inputs(asQuery).equals(first.inputs(asQuery)) == false) {
                return encoders.stream().map(e -> e.encode(texts, asQuery)).toList();
            }
        }
        long start = System.nanoTime();
        TextTokenizer tokenizer = first.session.tokenizer();
        List<Encoding> encodings = new ArrayList<>(texts.size());
        for (String text : texts) {
            encodings.add(first.inputIds(text, asQuery));
        }
        float[][][] states = first.hiddenStates(encodings);
        long nanos = System.nanoTime() - start;
        List<List<float[][]>> results = new ArrayList<>(encoders.size());
        for (BertEncoder encoder : encoders) {
            long poolStart = System.nanoTime();
            List<float[][]> out = new ArrayList<>(texts.size());
            for (int b = 0; b < texts.size(); b++) {
                Encoding encoding = encodings.get(b);
                out.add(encoder.kind == ModelKind.TEXT_DENSE ? new float[][] { encoder.pool(states[b], encoding.length()) }
                    : encoder.tokens(states[b], encoding, asQuery, tokenizer));
            }
            encoder.stats.record(texts.size(), nanos + System.nanoTime() - poolStart);
            results.add(out);
        }
        return results;
    }

    /** What decides the input ids of a text, besides the tokenizer: encoders that agree on it can share one run. */
    private List<Object> inputs(boolean asQuery) {
        int padTo = asQuery && textEncoding.queryAugmentation() ? textEncoding.queryLength() : 0;
        return Arrays.asList(maxTokens, textEncoding.prefix(asQuery), asQuery ? queryMarkerId : documentMarkerId, padTo);
    }

    /**
     * The ids the network gets for a text: [CLS], the marker if any, the prefix and the text (cut to fit max_tokens), [SEP],
     * then for an augmented query [MASK] up to the query length.
     */
    Encoding inputIds(String text, boolean asQuery) {
        TextTokenizer tokenizer = session.tokenizer();
        int marker = asQuery ? queryMarkerId : documentMarkerId;
        Encoding encoding = tokenizer.encode(textEncoding.prefix(asQuery) + text, marker < 0 ? maxTokens : maxTokens - 1);
        if (marker >= 0) {
            int n = encoding.length() + 1;
            long[] ids = new long[n];
            boolean[] punctuation = new boolean[n];
            ids[0] = encoding.ids()[0];
            ids[1] = marker;
            System.arraycopy(encoding.ids(), 1, ids, 2, n - 2);
            System.arraycopy(encoding.punctuation(), 1, punctuation, 2, n - 2);
            encoding = new Encoding(ids, punctuation);
        }
        int queryLength = textEncoding.queryLength();
        if (asQuery && textEncoding.queryAugmentation() && encoding.length() < queryLength) {
            long[] padded = Arrays.copyOf(encoding.ids(), queryLength);
            Arrays.fill(padded, encoding.length(), queryLength, tokenizer.specialTokens().mask());
            encoding = new Encoding(padded, Arrays.copyOf(encoding.punctuation(), queryLength));
        }
        return encoding;
    }

    /**
     * One run per text: no padding, and no other text in the run, so a text's vectors never depend on the batch it came
     * in. Quantized models (both built-ins) quantize activations with one scale per tensor, so padding, or another text of
     * the same length in the same run, would change them (by up to 0.02 per value for minilm, found by the node-loss suite;
     * cosine 0.997 to the text run alone on bge-small).
     */
    private float[][][] hiddenStates(List<Encoding> encodings) {
        float[][][] states = new float[encodings.size()][][];
        for (int b = 0; b < encodings.size(); b++) {
            states[b] = session.run(List.of(encodings.get(b).ids()))[0];
        }
        if (states.length > 0 && projection != null && states[0][0].length != projection.hidden()) {
            throw new IllegalArgumentException("model [" + id + "] outputs [" + states[0][0].length + "] dims, but its [projection_file] has ["
                + projection.hidden() + "] rows of [" + dims + "] (it must be a [" + states[0][0].length + ", " + dims + "] matrix)");
        }
        if (states.length > 0 && projection == null && states[0][0].length != dims) {
            throw new IllegalArgumentException("model [" + id + "] outputs [" + states[0][0].length + "] dims, not the [" + dims + "] it was registered with");
        }
        return states;
    }

    private float[] pool(float[][] states, int length) {
        int width = states[0].length;
        float[] v = new float[width];
        if (pooling == Pooling.CLS) {
            System.arraycopy(states[0], 0, v, 0, width);
        } else {
            for (int t = 0; t < length; t++) {
                for (int d = 0; d < width; d++) {
                    v[d] += states[t][d];
                }
            }
            for (int d = 0; d < width; d++) {
                v[d] /= length;
            }
        }
        return output(v);
    }

    /** A model output (a token's state, or a pooled one) as returned: projected, then normalized, as configured. */
    private float[] output(float[] state) {
        float[] v = projection == null ? Arrays.copyOf(state, dims) : projection.apply(state);
        return normalize ? l2Normalize(v) : v;
    }

    private float[][] tokens(float[][] states, Encoding encoding, boolean asQuery, TextTokenizer tokenizer) {
        List<float[]> kept = new ArrayList<>();
        SpecialTokens specials = tokenizer.specialTokens();
        for (int t = 0; t < encoding.length(); t++) {
            long tokenId = encoding.ids()[t];
            boolean special = tokenId == specials.cls() || tokenId == specials.sep() || (t == 1 && documentMarkerId >= 0);
            if (asQuery == false && (special || encoding.punctuation()[t])) {
                continue;
            }
            kept.add(output(states[t]));
        }
        if (kept.isEmpty()) { // only punctuation: keep [CLS], so every document has a vector
            kept.add(output(states[0]));
        }
        return kept.toArray(new float[0][]);
    }

    /** Scales v to unit length in place; a zero vector stays zero. */
    public static float[] l2Normalize(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x * x;
        }
        if (sum > 0) {
            float inv = (float) (1 / Math.sqrt(sum));
            for (int i = 0; i < v.length; i++) {
                v[i] *= inv;
            }
        }
        return v;
    }
}
