/*
 * MaxSim over sign bits, one kernel per instruction set: the similarity of two ±1 vectors is dims − 2·hamming,
 * so each kernel returns the sum over query rows of the smallest hamming distance to a document row.
 *
 * Query rows sit in 64-bit lanes (blocks of 8 rows, [block][word][row in block]); each document word is
 * broadcast, XORed with a block and counted. AVX-512 VPOPCNTDQ counts 8 lanes in one instruction; AVX2 has no
 * vector popcount, so its kernel counts the bits of each byte with two VPSHUFB table lookups (one per nibble),
 * adds the byte counts of all words, and sums a lane's bytes once with VPSADBW; the POPCNT kernel counts one
 * word at a time, for CPUs where scalar POPCNT outruns that (measured in the README).
 * Document rows are read straight from their stored bytes (each copied into a zero-padded buffer of words).
 */
#include <immintrin.h>
#include <stdint.h>
#include <string.h>

#include "maxsim.h"

/* One document row as whole words, copied (the stored rows are unaligned; the padding bytes stay zero). */
static inline const uint64_t *row_words(const uint8_t *doc, int j, int row_bytes, uint64_t *buffer) {
    memcpy(buffer, doc + (size_t) j * row_bytes, (size_t) row_bytes);
    return buffer;
}

/* Zeroes the words a row buffer uses, once per call: the bytes past a row's length stay zero. */
static inline void clear_words(uint64_t *buffer, int words) {
    memset(buffer, 0, (size_t) words * sizeof(uint64_t));
}

static inline int64_t sum_real_rows(const uint64_t *min, int nq) {
    int64_t sum = 0;
    for (int i = 0; i < nq; i++) {
        sum += (int64_t) min[i];
    }
    return sum;
}

#define AVX512_TARGET __attribute__((target("avx2,avx512f,avx512bw,avx512vl,avx512vpopcntdq")))

AVX512_TARGET int64_t maxsim_bit_avx512_vpopcntdq(const uint64_t *query, int nq, int words, const uint8_t *doc, int nd, int row_bytes) {
    const int blocks = (nq + BIT_LANES - 1) / BIT_LANES;
    const int block_size = words * BIT_LANES;
    uint64_t buffer0[MAX_BIT_WORDS], buffer1[MAX_BIT_WORDS];
    clear_words(buffer0, words);
    clear_words(buffer1, words);
    __m512i best[MAX_QUERY_ROWS / BIT_LANES];
    for (int b = 0; b < blocks; b++) {
        best[b] = _mm512_set1_epi64(INT64_MAX);
    }
    for (int j = 0; j < nd; j += 2) { /* two document rows share each query load; an odd last row pairs with itself */
        prefetch_ahead(doc + (size_t) j * row_bytes, 2 * row_bytes);
        const uint64_t *d0 = row_words(doc, j, row_bytes, buffer0);
        const uint64_t *d1 = row_words(doc, j + 1 < nd ? j + 1 : j, row_bytes, buffer1);
        for (int b = 0; b < blocks; b++) {
            const uint64_t *q = query + (size_t) b * block_size;
            __m512i h0 = _mm512_setzero_si512(), h1 = h0;
            for (int w = 0; w < words; w++) {
                __m512i qv = _mm512_loadu_si512((const void *) (q + w * BIT_LANES));
                h0 = _mm512_add_epi64(h0, _mm512_popcnt_epi64(_mm512_xor_si512(qv, _mm512_set1_epi64((long long) d0[w]))));
                h1 = _mm512_add_epi64(h1, _mm512_popcnt_epi64(_mm512_xor_si512(qv, _mm512_set1_epi64((long long) d1[w]))));
            }
            best[b] = _mm512_min_epu64(best[b], _mm512_min_epu64(h0, h1));
        }
    }
    uint64_t min[MAX_QUERY_ROWS];
    for (int b = 0; b < blocks; b++) {
        _mm512_storeu_si512((void *) (min + b * BIT_LANES), best[b]);
    }
    return sum_real_rows(min, nq);
}

#define AVX2_TARGET __attribute__((target("avx2")))

/* Per-byte bit counts of a 256-bit vector: a 16-entry table looked up once per nibble. */
AVX2_TARGET static inline __m256i byte_counts(__m256i x, __m256i table, __m256i low_nibbles) {
    __m256i lo = _mm256_and_si256(x, low_nibbles);
    __m256i hi = _mm256_and_si256(_mm256_srli_epi16(x, 4), low_nibbles);
    return _mm256_add_epi8(_mm256_shuffle_epi8(table, lo), _mm256_shuffle_epi8(table, hi));
}

AVX2_TARGET int64_t maxsim_bit_avx2(const uint64_t *query, int nq, int words, const uint8_t *doc, int nd, int row_bytes) {
    const int blocks = (nq + BIT_LANES - 1) / BIT_LANES;
    const int block_size = words * BIT_LANES;
    const __m256i table = _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
                                           0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
    const __m256i low_nibbles = _mm256_set1_epi8(0x0F), zero = _mm256_setzero_si256();
    uint64_t buffer0[MAX_BIT_WORDS], buffer1[MAX_BIT_WORDS];
    clear_words(buffer0, words);
    clear_words(buffer1, words);
    /* per block, the lower and upper 4 rows; counts stay below 2^32, so a 32-bit unsigned min is a 64-bit one */
    __m256i best[2 * (MAX_QUERY_ROWS / BIT_LANES)];
    for (int b = 0; b < 2 * blocks; b++) {
        best[b] = _mm256_set1_epi32(-1);
    }
    for (int j = 0; j < nd; j += 2) {
        prefetch_ahead(doc + (size_t) j * row_bytes, 2 * row_bytes);
        const uint64_t *d0 = row_words(doc, j, row_bytes, buffer0);
        const uint64_t *d1 = row_words(doc, j + 1 < nd ? j + 1 : j, row_bytes, buffer1);
        for (int b = 0; b < blocks; b++) {
            const uint64_t *q = query + (size_t) b * block_size;
            __m256i h0l = zero, h0h = zero, h1l = zero, h1h = zero;
            /* byte counts add up to 8 per word: flush them into 64-bit sums every 31 words, before a byte overflows */
            for (int start = 0; start < words; start += 31) {
                int end = words - start > 31 ? start + 31 : words;
                __m256i c0l = zero, c0h = zero, c1l = zero, c1h = zero;
                for (int w = start; w < end; w++) {
                    __m256i ql = _mm256_loadu_si256((const __m256i *) (q + w * BIT_LANES));
                    __m256i qh = _mm256_loadu_si256((const __m256i *) (q + w * BIT_LANES + 4));
                    __m256i x0 = _mm256_set1_epi64x((long long) d0[w]), x1 = _mm256_set1_epi64x((long long) d1[w]);
                    c0l = _mm256_add_epi8(c0l, byte_counts(_mm256_xor_si256(ql, x0), table, low_nibbles));
                    c0h = _mm256_add_epi8(c0h, byte_counts(_mm256_xor_si256(qh, x0), table, low_nibbles));
                    c1l = _mm256_add_epi8(c1l, byte_counts(_mm256_xor_si256(ql, x1), table, low_nibbles));
                    c1h = _mm256_add_epi8(c1h, byte_counts(_mm256_xor_si256(qh, x1), table, low_nibbles));
                }
                h0l = _mm256_add_epi64(h0l, _mm256_sad_epu8(c0l, zero));
                h0h = _mm256_add_epi64(h0h, _mm256_sad_epu8(c0h, zero));
                h1l = _mm256_add_epi64(h1l, _mm256_sad_epu8(c1l, zero));
                h1h = _mm256_add_epi64(h1h, _mm256_sad_epu8(c1h, zero));
            }
            best[2 * b] = _mm256_min_epu32(best[2 * b], _mm256_min_epu32(h0l, h1l));
            best[2 * b + 1] = _mm256_min_epu32(best[2 * b + 1], _mm256_min_epu32(h0h, h1h));
        }
    }
    uint64_t min[MAX_QUERY_ROWS];
    for (int b = 0; b < 2 * blocks; b++) {
        /* the upper 32 bits of each lane went through the min as 0xFFFFFFFF or 0: clear them */
        _mm256_storeu_si256((__m256i *) (min + b * 4), _mm256_and_si256(best[b], _mm256_set1_epi64x(0xFFFFFFFFLL)));
    }
    return sum_real_rows(min, nq);
}

__attribute__((target("popcnt"))) int64_t maxsim_bit_popcnt(const uint64_t *query, int nq, int words, const uint8_t *doc, int nd, int row_bytes) {
    const int blocks = (nq + BIT_LANES - 1) / BIT_LANES;
    const int block_size = words * BIT_LANES;
    uint64_t buffer[MAX_BIT_WORDS];
    clear_words(buffer, words);
    uint64_t min[MAX_QUERY_ROWS];
    for (int i = 0; i < blocks * BIT_LANES; i++) {
        min[i] = UINT64_MAX;
    }
    for (int j = 0; j < nd; j++) {
        prefetch_ahead(doc + (size_t) j * row_bytes, row_bytes);
        const uint64_t *d = row_words(doc, j, row_bytes, buffer);
        for (int b = 0; b < blocks; b++) {
            const uint64_t *q = query + (size_t) b * block_size;
            uint64_t h[BIT_LANES] = { 0 }; /* eight independent chains */
            for (int w = 0; w < words; w++) {
                for (int r = 0; r < BIT_LANES; r++) {
                    h[r] += (uint64_t) __builtin_popcountll(q[w * BIT_LANES + r] ^ d[w]);
                }
            }
            for (int r = 0; r < BIT_LANES; r++) {
                min[b * BIT_LANES + r] = h[r] < min[b * BIT_LANES + r] ? h[r] : min[b * BIT_LANES + r];
            }
        }
    }
    return sum_real_rows(min, nq);
}
