package io.multivector.analysis.encoder;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/** Opens onnxruntime sessions with the plugin's settings: a bounded number of threads, all graph optimizations. */
final class OnnxSessions {

    private OnnxSessions() {}

    static OrtSession open(byte[] onnxModel, int threads) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return OrtEnvironment.getEnvironment().createSession(onnxModel, options);
        } catch (OrtException e) {
            throw new IllegalArgumentException("cannot load the ONNX model: " + e.getMessage(), e);
        }
    }
}
