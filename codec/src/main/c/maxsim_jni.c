/* The JNI entry points of the native MaxSim kernels: the CPU's features, and one call per document. */
#include <jni.h>
#include <stdint.h>

#include "maxsim.h"

static const int8_kernel INT8_KERNELS[] = { maxsim_int8_avx512_vnni, maxsim_int8_avx_vnni, maxsim_int8_avx2 };
static const bit_kernel BIT_KERNELS[] = { maxsim_bit_avx512_vpopcntdq, maxsim_bit_avx2, maxsim_bit_popcnt };

/* What the CPU (and the OS, for the wide registers: gcc's checks include XGETBV) runs. */
JNIEXPORT jint JNICALL Java_io_multivector_codec_multivector_NativeMaxSim_cpuFeatures(JNIEnv *env, jclass cls) {
    __builtin_cpu_init();
    int features = 0;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        features |= FEATURE_AVX2;
        if (__builtin_cpu_supports("avxvnni")) {
            features |= FEATURE_AVX_VNNI;
        }
    }
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl")) {
        features |= FEATURE_AVX512;
        if (__builtin_cpu_supports("avx512vnni")) {
            features |= FEATURE_AVX512_VNNI;
        }
        if (__builtin_cpu_supports("avx512vpopcntdq")) {
            features |= FEATURE_AVX512_VPOPCNTDQ;
        }
    }
    if (__builtin_cpu_supports("popcnt")) {
        features |= FEATURE_POPCNT;
    }
    return features;
}

JNIEXPORT jint JNICALL Java_io_multivector_codec_multivector_NativeMaxSim_maxDims(JNIEnv *env, jclass cls) {
    return MAX_DIMS;
}

JNIEXPORT jint JNICALL Java_io_multivector_codec_multivector_NativeMaxSim_maxQueryRows(JNIEnv *env, jclass cls) {
    return MAX_QUERY_ROWS;
}

/* The document: jdoc's bytes from offset, or with jdoc null the memory at address offset (a memory-mapped index file,
   which Lucene keeps mapped while the index is open): read in place, no copy. */
static const void *doc_begin(JNIEnv *env, jbyteArray jdoc, jlong offset) {
    return jdoc == NULL ? (const void *) (intptr_t) offset : (const jbyte *) (*env)->GetPrimitiveArrayCritical(env, jdoc, NULL) + offset;
}

static void doc_end(JNIEnv *env, jbyteArray jdoc, const void *doc, jlong offset) {
    if (jdoc != NULL) {
        (*env)->ReleasePrimitiveArrayCritical(env, jdoc, (void *) ((const jbyte *) doc - offset), JNI_ABORT);
    }
}

/* kernel: an index into INT8_KERNELS, which Java only passes when the CPU runs it; query and scales: direct buffers */
JNIEXPORT jfloat JNICALL Java_io_multivector_codec_multivector_NativeMaxSim_maxSimInt8(
    JNIEnv *env, jclass cls, jint kernel, jobject jquery, jobject jscales, jint nq, jint dims, jbyteArray jdoc, jlong offset, jint nd) {
    const int32_t *query = (*env)->GetDirectBufferAddress(env, jquery);
    const float *scales = (*env)->GetDirectBufferAddress(env, jscales);
    const void *doc = doc_begin(env, jdoc, offset);
    float result = INT8_KERNELS[kernel](query, scales, nq, dims, (const int8_t *) doc, nd);
    doc_end(env, jdoc, doc, offset);
    return result;
}

/* kernel: an index into BIT_KERNELS; query: a direct buffer; returns the sum over query rows of the smallest hamming distance */
JNIEXPORT jlong JNICALL Java_io_multivector_codec_multivector_NativeMaxSim_hammingBit(
    JNIEnv *env, jclass cls, jint kernel, jobject jquery, jint nq, jint words, jbyteArray jdoc, jlong offset, jint nd, jint row_bytes) {
    const uint64_t *query = (*env)->GetDirectBufferAddress(env, jquery);
    const void *doc = doc_begin(env, jdoc, offset);
    int64_t result = BIT_KERNELS[kernel](query, nq, words, (const uint8_t *) doc, nd, row_bytes);
    doc_end(env, jdoc, doc, offset);
    return result;
}
