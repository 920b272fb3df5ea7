/*
 * MaxSim of an int16-quantized query against an int8 document matrix, one kernel per instruction set.
 *
 * Why native: the JDK Vector API exposes no integer dot-product instruction, so int8 scored from Java is
 * decoded to float and runs no faster than float. VPDPWSSD (AVX-512 VNNI, or AVX-VNNI on 256 bits) multiplies
 * pairs of int16 and adds them into int32 lanes in one instruction; AVX2's VPMADDWD + VPADDD does the same in
 * two. Either way an instruction does twice the multiply-adds of a float FMA of the same width.
 *
 * Layout (built by NativeMaxSim.java):
 *  - query: blocks of 16 rows (one row per int32 lane), then for each pair p of dimensions one 16-lane vector
 *    whose lane i holds row i's dimensions 2p (low half) and 2p+1 (high half) as int16; the 256-bit kernels
 *    read a block as two halves of 8 rows;
 *  - scales: one float per query row, zero for the padding rows of the last block;
 *  - document: rows of [float32 scale, little-endian][dims int8], as the int8 element type stores them.
 * Score: sum over query rows i of scale_i * max over document rows j of (scale_j * <q_i, d_j>).
 */
#include <immintrin.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "maxsim.h"

#define LANES INT8_LANES

#define KERNEL_TARGET __attribute__((target("avx2,fma,avx512f,avx512bw,avx512vl,avx512vnni")))

/* Sign-extends one document row to int16, zero-padded to a multiple of 32 dimensions. */
KERNEL_TARGET static inline float widen_row(const int8_t *row, int dims, int16_t *out) {
    float scale;
    memcpy(&scale, row, sizeof(float));
    const int8_t *values = row + sizeof(float);
    for (int c = 0; c < dims; c += 32) {
        int left = dims - c;
        __mmask32 mask = left >= 32 ? (__mmask32) 0xFFFFFFFFu : (__mmask32) ((1u << left) - 1);
        __m256i bytes = _mm256_maskz_loadu_epi8(mask, values + c);
        _mm512_store_si512((void *) (out + c), _mm512_cvtepi8_epi16(bytes));
    }
    return scale;
}

/* Two document rows against one block of 16 query rows: the running maxima of the block's lanes. */
KERNEL_TARGET static inline __m512 block_two_rows(const int32_t *q, int pairs, const int32_t *d0, float s0,
                                                   const int32_t *d1, float s1, __m512 best) {
    __m512i a0 = _mm512_setzero_si512(), a1 = _mm512_setzero_si512();
    for (int p = 0; p < pairs; p++) {
        __m512i qv = _mm512_loadu_si512((const void *) (q + p * LANES));
        a0 = _mm512_dpwssd_epi32(a0, qv, _mm512_set1_epi32(d0[p]));
        a1 = _mm512_dpwssd_epi32(a1, qv, _mm512_set1_epi32(d1[p]));
    }
    best = _mm512_max_ps(best, _mm512_mul_ps(_mm512_cvtepi32_ps(a0), _mm512_set1_ps(s0)));
    return _mm512_max_ps(best, _mm512_mul_ps(_mm512_cvtepi32_ps(a1), _mm512_set1_ps(s1)));
}

/* Two document rows against two blocks (32 query rows): each broadcast document pair feeds two VPDPWSSD. */
KERNEL_TARGET static inline void blocks_two_rows(const int32_t *qa, const int32_t *qb, int pairs, const int32_t *d0,
                                                 float s0, const int32_t *d1, float s1, __m512 *best_a, __m512 *best_b) {
    __m512i a0 = _mm512_setzero_si512(), a1 = a0, b0 = a0, b1 = a0;
    for (int p = 0; p < pairs; p++) {
        __m512i qva = _mm512_loadu_si512((const void *) (qa + p * LANES));
        __m512i qvb = _mm512_loadu_si512((const void *) (qb + p * LANES));
        __m512i x0 = _mm512_set1_epi32(d0[p]), x1 = _mm512_set1_epi32(d1[p]);
        a0 = _mm512_dpwssd_epi32(a0, qva, x0);
        b0 = _mm512_dpwssd_epi32(b0, qvb, x0);
        a1 = _mm512_dpwssd_epi32(a1, qva, x1);
        b1 = _mm512_dpwssd_epi32(b1, qvb, x1);
    }
    __m512 v0 = _mm512_set1_ps(s0), v1 = _mm512_set1_ps(s1);
    *best_a = _mm512_max_ps(_mm512_max_ps(*best_a, _mm512_mul_ps(_mm512_cvtepi32_ps(a0), v0)),
                            _mm512_mul_ps(_mm512_cvtepi32_ps(a1), v1));
    *best_b = _mm512_max_ps(_mm512_max_ps(*best_b, _mm512_mul_ps(_mm512_cvtepi32_ps(b0), v0)),
                            _mm512_mul_ps(_mm512_cvtepi32_ps(b1), v1));
}

KERNEL_TARGET float maxsim_int8_avx512_vnni(const int32_t *query, const float *scales, int nq, int dims,
                                       const int8_t *doc, int nd) {
    const int pairs = (dims + 1) / 2;
    const int blocks = (nq + LANES - 1) / LANES;
    const int stride = dims + (int) sizeof(float);
    const int block_size = pairs * LANES;
    int16_t row0[MAX_DIMS + 32] __attribute__((aligned(64)));
    int16_t row1[MAX_DIMS + 32] __attribute__((aligned(64)));
    __m512 best[MAX_QUERY_ROWS / LANES];
    for (int b = 0; b < blocks; b++) {
        best[b] = _mm512_set1_ps(-INFINITY);
    }
    for (int j = 0; j < nd; j += 2) {
        prefetch_ahead(doc + (size_t) j * stride, 2 * stride);
        float s0 = widen_row(doc + (size_t) j * stride, dims, row0);
        /* an odd last row is paired with itself: the maximum does not change */
        float s1 = j + 1 < nd ? widen_row(doc + (size_t) (j + 1) * stride, dims, row1) : widen_row(doc + (size_t) j * stride, dims, row1);
        const int32_t *d0 = (const int32_t *) row0, *d1 = (const int32_t *) row1;
        int b = 0;
        for (; b + 2 <= blocks; b += 2) {
            blocks_two_rows(query + b * block_size, query + (b + 1) * block_size, pairs, d0, s0, d1, s1, &best[b], &best[b + 1]);
        }
        if (b < blocks) {
            best[b] = block_two_rows(query + b * block_size, pairs, d0, s0, d1, s1, best[b]);
        }
    }
    __m512 sum = _mm512_setzero_ps();
    for (int b = 0; b < blocks; b++) {
        /* padding rows scored 0 against every document row and have scale 0 */
        sum = _mm512_fmadd_ps(best[b], _mm512_loadu_ps(scales + b * LANES), sum);
    }
    return _mm512_reduce_add_ps(sum);
}

/* The 256-bit kernels: one source, compiled once per multiply-add instruction. */
#define INT8_256_NAME maxsim_int8_avx_vnni
#define INT8_256_TARGET "avx2,fma,avxvnni"
#define INT8_256_MADD(acc, q, d) _mm256_dpwssd_avx_epi32((acc), (q), (d))
#include "maxsim_int8_256.h"

/*
 * VPMADDWD then VPADDD into the accumulator's own register: written as plain intrinsics, gcc added each product and
 * accumulator into a third register and copied it back, eight VMOVDQA per iteration of 21 other micro-ops (measured
 * in cache, ColBERT shape: 7.2 µs per document against 6.8 with the in-place add).
 */
__attribute__((target("avx2,fma"))) static inline __m256i madd_avx2(__m256i acc, __m256i q, __m256i d) {
    __m256i product = _mm256_madd_epi16(q, d);
    __asm__("vpaddd %1, %0, %0" : "+x"(acc) : "x"(product));
    return acc;
}

#define INT8_256_NAME maxsim_int8_avx2
#define INT8_256_TARGET "avx2,fma"
#define INT8_256_MADD(acc, q, d) madd_avx2((acc), (q), (d))
#include "maxsim_int8_256.h"
