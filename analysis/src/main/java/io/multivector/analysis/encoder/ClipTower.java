package io.multivector.analysis.encoder;

/** What CLIP's two towers share: one ONNX session, one vector per input of the registered dims, L2-normalized if asked. */
abstract sealed class ClipTower implements Encoder, AutoCloseable permits ClipImageEncoder, ClipTextEncoder {

    protected final String id;
    protected final ClipSession session;
    private final int dims;
    private final boolean normalize;
    protected final EncoderStats stats = new EncoderStats();

    ClipTower(String id, ClipSession session, int dims, boolean normalize) {
        this.id = id;
        this.session = session;
        this.dims = dims;
        this.normalize = normalize;
    }

    /** A row of the model's output as this model's vector. */
    protected float[][] vector(float[] row) {
        if (row.length != dims) {
            throw new IllegalArgumentException("model [" + id + "] outputs [" + row.length + "] dims, not the [" + dims + "] it was registered with");
        }
        return new float[][] { normalize ? BertEncoder.l2Normalize(row) : row };
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int dims() {
        return dims;
    }

    @Override
    public long modelBytes() {
        return session.modelBytes;
    }

    @Override
    public EncoderStats stats() {
        return stats;
    }

    @Override
    public void close() {
        session.close();
    }
}
