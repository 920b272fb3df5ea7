/*
 * The int8 MaxSim kernel on 256-bit vectors, included by maxsim_int8.c once per instruction set with
 * INT8_256_NAME, INT8_256_TARGET and INT8_256_MADD(acc, q, d) (int16 pairs multiplied and added into int32
 * lanes) defined. A 16-row query block is two halves of 8 rows; halves that hold only padding rows are skipped.
 */
#define INT8_256_T __attribute__((target(INT8_256_TARGET)))
#define INT8_256_CAT(a, b) a##b
#define INT8_256_FN(name, suffix) INT8_256_CAT(name, suffix)

/* Sign-extends one document row to int16, zero-padded to a multiple of 16 dimensions. */
INT8_256_T static inline float INT8_256_FN(INT8_256_NAME, _widen)(const int8_t *row, int dims, int16_t *out) {
    float scale;
    memcpy(&scale, row, sizeof(float));
    const int8_t *values = row + sizeof(float);
    int c = 0;
    for (; c + 16 <= dims; c += 16) {
        _mm256_store_si256((__m256i *) (out + c), _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *) (values + c))));
    }
    if (c < dims) {
        int8_t tail[16] = { 0 };
        memcpy(tail, values + c, (size_t) (dims - c));
        _mm256_store_si256((__m256i *) (out + c), _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *) tail)));
    }
    return scale;
}

INT8_256_T static inline __m256 INT8_256_FN(INT8_256_NAME, _scaled)(__m256i dots, float scale) {
    return _mm256_mul_ps(_mm256_cvtepi32_ps(dots), _mm256_set1_ps(scale));
}

INT8_256_T float INT8_256_NAME(const int32_t *query, const float *scales, int nq, int dims, const int8_t *doc, int nd) {
    const int pairs = (dims + 1) / 2;
    const int blocks = (nq + INT8_LANES - 1) / INT8_LANES;
    const int stride = dims + (int) sizeof(float);
    const int block_size = pairs * INT8_LANES;
    /* the last block's upper half holds only padding rows when nq % 16 is in 1..8 */
    const int last_has_high = nq - (blocks - 1) * INT8_LANES > 8;
    int16_t row0[MAX_DIMS + 32] __attribute__((aligned(32)));
    int16_t row1[MAX_DIMS + 32] __attribute__((aligned(32)));
    __m256 best[2 * (MAX_QUERY_ROWS / INT8_LANES)];
    for (int b = 0; b < 2 * blocks; b++) {
        best[b] = _mm256_set1_ps(-INFINITY);
    }
    for (int j = 0; j < nd; j += 2) {
        prefetch_ahead(doc + (size_t) j * stride, 2 * stride);
        float s0 = INT8_256_FN(INT8_256_NAME, _widen)(doc + (size_t) j * stride, dims, row0);
        /* an odd last row is paired with itself: the maximum does not change */
        float s1 = INT8_256_FN(INT8_256_NAME, _widen)(doc + (size_t) (j + 1 < nd ? j + 1 : j) * stride, dims, row1);
        const int32_t *d0 = (const int32_t *) row0, *d1 = (const int32_t *) row1;
        int b = 0;
        for (; b + 2 <= blocks; b += 2) { /* 32 query rows: eight accumulators, each broadcast feeds four */
            const int32_t *qa = query + b * block_size, *qb = qa + block_size;
            __m256i a0l = _mm256_setzero_si256(), a0h = a0l, b0l = a0l, b0h = a0l, a1l = a0l, a1h = a0l, b1l = a0l, b1h = a0l;
            for (int p = 0; p < pairs; p++) {
                __m256i qal = _mm256_loadu_si256((const __m256i *) (qa + p * INT8_LANES));
                __m256i qah = _mm256_loadu_si256((const __m256i *) (qa + p * INT8_LANES + 8));
                __m256i qbl = _mm256_loadu_si256((const __m256i *) (qb + p * INT8_LANES));
                __m256i qbh = _mm256_loadu_si256((const __m256i *) (qb + p * INT8_LANES + 8));
                __m256i x0 = _mm256_set1_epi32(d0[p]), x1 = _mm256_set1_epi32(d1[p]);
                a0l = INT8_256_MADD(a0l, qal, x0);
                a0h = INT8_256_MADD(a0h, qah, x0);
                b0l = INT8_256_MADD(b0l, qbl, x0);
                b0h = INT8_256_MADD(b0h, qbh, x0);
                a1l = INT8_256_MADD(a1l, qal, x1);
                a1h = INT8_256_MADD(a1h, qah, x1);
                b1l = INT8_256_MADD(b1l, qbl, x1);
                b1h = INT8_256_MADD(b1h, qbh, x1);
            }
            __m256 *best_a = best + 2 * b, *best_b = best_a + 2;
            best_a[0] = _mm256_max_ps(best_a[0], _mm256_max_ps(INT8_256_FN(INT8_256_NAME, _scaled)(a0l, s0), INT8_256_FN(INT8_256_NAME, _scaled)(a1l, s1)));
            best_a[1] = _mm256_max_ps(best_a[1], _mm256_max_ps(INT8_256_FN(INT8_256_NAME, _scaled)(a0h, s0), INT8_256_FN(INT8_256_NAME, _scaled)(a1h, s1)));
            best_b[0] = _mm256_max_ps(best_b[0], _mm256_max_ps(INT8_256_FN(INT8_256_NAME, _scaled)(b0l, s0), INT8_256_FN(INT8_256_NAME, _scaled)(b1l, s1)));
            best_b[1] = _mm256_max_ps(best_b[1], _mm256_max_ps(INT8_256_FN(INT8_256_NAME, _scaled)(b0h, s0), INT8_256_FN(INT8_256_NAME, _scaled)(b1h, s1)));
        }
        if (b < blocks) { /* one block left: two document rows, and its upper half only when it holds real rows */
            const int32_t *qa = query + b * block_size;
            __m256i a0l = _mm256_setzero_si256(), a0h = a0l, a1l = a0l, a1h = a0l;
            if (last_has_high) {
                for (int p = 0; p < pairs; p++) {
                    __m256i ql = _mm256_loadu_si256((const __m256i *) (qa + p * INT8_LANES));
                    __m256i qh = _mm256_loadu_si256((const __m256i *) (qa + p * INT8_LANES + 8));
                    __m256i x0 = _mm256_set1_epi32(d0[p]), x1 = _mm256_set1_epi32(d1[p]);
                    a0l = INT8_256_MADD(a0l, ql, x0);
                    a0h = INT8_256_MADD(a0h, qh, x0);
                    a1l = INT8_256_MADD(a1l, ql, x1);
                    a1h = INT8_256_MADD(a1h, qh, x1);
                }
            } else {
                int p = 0;
                for (; p + 2 <= pairs; p += 2) { /* two pairs per pass: four chains */
                    __m256i q0 = _mm256_loadu_si256((const __m256i *) (qa + p * INT8_LANES));
                    __m256i q1 = _mm256_loadu_si256((const __m256i *) (qa + (p + 1) * INT8_LANES));
                    a0l = INT8_256_MADD(a0l, q0, _mm256_set1_epi32(d0[p]));
                    a1l = INT8_256_MADD(a1l, q0, _mm256_set1_epi32(d1[p]));
                    a0h = INT8_256_MADD(a0h, q1, _mm256_set1_epi32(d0[p + 1]));
                    a1h = INT8_256_MADD(a1h, q1, _mm256_set1_epi32(d1[p + 1]));
                }
                if (p < pairs) {
                    __m256i q0 = _mm256_loadu_si256((const __m256i *) (qa + p * INT8_LANES));
                    a0l = INT8_256_MADD(a0l, q0, _mm256_set1_epi32(d0[p]));
                    a1l = INT8_256_MADD(a1l, q0, _mm256_set1_epi32(d1[p]));
                }
                /* both chains summed the lower half's dot products */
                a0l = _mm256_add_epi32(a0l, a0h);
                a1l = _mm256_add_epi32(a1l, a1h);
                a0h = a1h = _mm256_setzero_si256();
            }
            __m256 *best_a = best + 2 * b;
            best_a[0] = _mm256_max_ps(best_a[0], _mm256_max_ps(INT8_256_FN(INT8_256_NAME, _scaled)(a0l, s0), INT8_256_FN(INT8_256_NAME, _scaled)(a1l, s1)));
            best_a[1] = _mm256_max_ps(best_a[1], _mm256_max_ps(INT8_256_FN(INT8_256_NAME, _scaled)(a0h, s0), INT8_256_FN(INT8_256_NAME, _scaled)(a1h, s1)));
        }
    }
    __m256 sum = _mm256_setzero_ps();
    for (int b = 0; b < blocks; b++) {
        /* padding rows scored 0 (or -inf when skipped) and have scale 0: mask them out rather than multiply */
        sum = _mm256_fmadd_ps(best[2 * b], _mm256_loadu_ps(scales + b * INT8_LANES), sum);
        if (b + 1 < blocks || last_has_high) {
            sum = _mm256_fmadd_ps(best[2 * b + 1], _mm256_loadu_ps(scales + b * INT8_LANES + 8), sum);
        }
    }
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(sum), _mm256_extractf128_ps(sum, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

#undef INT8_256_T
#undef INT8_256_CAT
#undef INT8_256_FN
#undef INT8_256_NAME
#undef INT8_256_TARGET
#undef INT8_256_MADD
