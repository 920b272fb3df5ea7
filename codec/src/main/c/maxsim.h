/*
 * The native MaxSim kernels, one function per instruction set (gcc target attributes), all in one library
 * built for the x86-64 baseline: maxsim_jni.c reports the CPU's features and Java picks, at load, the best
 * kernel the CPU runs (NativeMaxSim.java). Adding an ISA (e.g. ARM NEON SDOT / SVE) means one more function
 * here and one more entry in NativeMaxSim's kernel lists.
 */
#ifndef MAXSIM_H
#define MAXSIM_H

#include <stdint.h>

#define MAX_DIMS 4096
#define MAX_QUERY_ROWS 4096
/* int8: query rows per block (one int32 lane each in a 512-bit vector, two 256-bit halves otherwise) */
#define INT8_LANES 16
/* bit: query rows per block (one 64-bit lane each in a 512-bit vector, two 256-bit halves otherwise) */
#define BIT_LANES 8
#define MAX_BIT_WORDS (MAX_DIMS / 64)

/* CPU features, as the bits of NativeMaxSim's FEATURES */
#define FEATURE_AVX2 1
#define FEATURE_AVX512 2 /* F, BW, VL */
#define FEATURE_AVX512_VNNI 4
#define FEATURE_AVX_VNNI 8
#define FEATURE_AVX512_VPOPCNTDQ 16
#define FEATURE_POPCNT 32

/*
 * Asks the CPU to fetch `bytes` of a document, 1 KB past `row`, before the kernel reads them: the int8 and bit kernels
 * read the matrix where the index file is memory mapped (no copy first), row after row, and the hardware prefetcher
 * stops at each 4 KB page of the mapping. Measured: bit 1.64 against 1.76 µs per ColBERT-shape document (in C, 770
 * MB of documents); int8 as AVX2 in maxsim-lucene.sh 2.00-2.37x float in four runs with it, 1.84x and 1.87x in two
 * without (in C over anonymous memory int8 gained at most 2%: its multiply-adds bound it). Prefetches never fault,
 * so past the last row they are harmless (and fetch what is usually the next document's matrix).
 */
#define PREFETCH_AHEAD_BYTES 1024
static inline void prefetch_ahead(const void *row, int bytes) {
    for (int o = 0; o < bytes; o += 64) {
        __builtin_prefetch((const char *) row + PREFETCH_AHEAD_BYTES + o);
    }
}

/*
 * int8 documents (rows of [float32 scale][dims int8]) against an int16 query (NativeMaxSim.prepare's layout):
 * blocks of 16 rows, per pair of dimensions one int32 per row holding both int16 values.
 */
typedef float (*int8_kernel)(const int32_t *query, const float *scales, int nq, int dims, const int8_t *doc, int nd);
float maxsim_int8_avx512_vnni(const int32_t *query, const float *scales, int nq, int dims, const int8_t *doc, int nd);
float maxsim_int8_avx_vnni(const int32_t *query, const float *scales, int nq, int dims, const int8_t *doc, int nd);
float maxsim_int8_avx2(const int32_t *query, const float *scales, int nq, int dims, const int8_t *doc, int nd);

/*
 * Bit documents (rows of ceil(dims / 8) bytes, bit c set when dimension c is positive) against the packed query
 * transposed in blocks of 8 rows, [block][word][row in block], padding rows zero. Returns the sum over the nq real
 * query rows of the smallest hamming distance to a document row.
 */
typedef int64_t (*bit_kernel)(const uint64_t *query, int nq, int words, const uint8_t *doc, int nd, int row_bytes);
int64_t maxsim_bit_avx512_vpopcntdq(const uint64_t *query, int nq, int words, const uint8_t *doc, int nd, int row_bytes);
int64_t maxsim_bit_avx2(const uint64_t *query, int nq, int words, const uint8_t *doc, int nd, int row_bytes);
int64_t maxsim_bit_popcnt(const uint64_t *query, int nq, int words, const uint8_t *doc, int nd, int row_bytes);

#endif
