// AssemblyScript: the sparse inference kernels of Pruning Lab's kernel module (exported through
// lab-kernels.ts). They run a pruned network's forward pass on a memory of their own (see
// src/engine/sparse/sparse-net.ts, which lays out every buffer): pointers are byte offsets
// into it, float32 throughout, and nothing is allocated here.
//
// Layouts: a dense layer's weights are W^T ([out, in]: row o holds the weights into output o),
// either dense or in CSR (rowPtr[out + 1], cols[nnz] input indices, vals[nnz]); activations of
// dense layers are [in, bp] (a column per sample, bp a multiple of 4) at batch >= 4 and one
// vector per sample below. Convolutions work on planes: [channels][height][width] per image
// (CHW), inputs zero-padded so every tap of a stride-1 convolution reads inside the plane; a
// filter's surviving taps are a CSR row of byte offsets of (channel, a, b) in that padded input.

// @ts-nocheck: AssemblyScript (f32, v128, usize, load/store builtins), not TypeScript.

/**
 * Batch 1, CSR: y[o] = act(bias[o] + sum_{t in rowPtr[o]..rowPtr[o+1]} vals[t] * x[cols[t]]),
 * act = ReLU when relu != 0 (gather dot products, four partial sums).
 */
export function csrGather(
  vals: usize,
  cols: usize,
  rowPtr: usize,
  rows: i32,
  x: usize,
  bias: usize,
  y: usize,
  relu: i32,
): void {
  for (let o = 0; o < rows; o++) {
    const t0 = load<i32>(rowPtr + ((<usize>o) << 2));
    const t1 = load<i32>(rowPtr + ((<usize>(o + 1)) << 2));
    let s0: f32 = 0;
    let s1: f32 = 0;
    let s2: f32 = 0;
    let s3: f32 = 0;
    let t = t0;
    for (; t + 4 <= t1; t += 4) {
      const v = vals + ((<usize>t) << 2);
      const c = cols + ((<usize>t) << 2);
      s0 += load<f32>(v) * load<f32>(x + ((<usize>load<i32>(c)) << 2));
      s1 += load<f32>(v, 4) * load<f32>(x + ((<usize>load<i32>(c, 4)) << 2));
      s2 += load<f32>(v, 8) * load<f32>(x + ((<usize>load<i32>(c, 8)) << 2));
      s3 += load<f32>(v, 12) * load<f32>(x + ((<usize>load<i32>(c, 12)) << 2));
    }
    for (; t < t1; t++) {
      s0 +=
        load<f32>(vals + ((<usize>t) << 2)) *
        load<f32>(x + ((<usize>load<i32>(cols + ((<usize>t) << 2))) << 2));
    }
    let s = load<f32>(bias + ((<usize>o) << 2)) + (s0 + s1 + (s2 + s3));
    if (relu != 0 && s < 0) s = 0;
    store<f32>(y + ((<usize>o) << 2), s);
  }
}

/**
 * Batch 1, dense: y[o] = act(bias[o] + sum_k w[o, k] * x[k]) with w [rows, n] row-major:
 * SIMD dot products (two 4-lane partial sums, a scalar tail).
 */
export function denseGemv(
  w: usize,
  n: i32,
  rows: i32,
  x: usize,
  bias: usize,
  y: usize,
  relu: i32,
): void {
  const rowBytes = (<usize>n) << 2;
  for (let o = 0; o < rows; o++) {
    const wr = w + <usize>o * rowBytes;
    let a0 = f32x4.splat(0);
    let a1 = a0;
    let k = 0;
    for (; k + 8 <= n; k += 8) {
      const off = (<usize>k) << 2;
      a0 = f32x4.add(a0, f32x4.mul(v128.load(wr + off), v128.load(x + off)));
      a1 = f32x4.add(a1, f32x4.mul(v128.load(wr + off, 16), v128.load(x + off, 16)));
    }
    const a = f32x4.add(a0, a1);
    let s: f32 =
      f32x4.extract_lane(a, 0) +
      f32x4.extract_lane(a, 1) +
      (f32x4.extract_lane(a, 2) + f32x4.extract_lane(a, 3));
    for (; k < n; k++) {
      const off = (<usize>k) << 2;
      s += load<f32>(wr + off) * load<f32>(x + off);
    }
    s += load<f32>(bias + ((<usize>o) << 2));
    if (relu != 0 && s < 0) s = 0;
    store<f32>(y + ((<usize>o) << 2), s);
  }
}

/**
 * Batch >= 4, CSR: y[o, b] = act(bias[o] + sum_t vals[t] * x[cols[t], b]) with x [in, bp] and
 * y [rows, bp], bp a multiple of 4: each surviving weight scales a run of its input row, SIMD
 * across the batch, 16 samples (four registers) at a time, then 4.
 */
export function csrBatch(
  vals: usize,
  cols: usize,
  rowPtr: usize,
  rows: i32,
  x: usize,
  bias: usize,
  y: usize,
  bp: i32,
  relu: i32,
): void {
  const rowBytes = (<usize>bp) << 2;
  const zero = f32x4.splat(0);
  for (let o = 0; o < rows; o++) {
    const t0 = load<i32>(rowPtr + ((<usize>o) << 2));
    const t1 = load<i32>(rowPtr + ((<usize>(o + 1)) << 2));
    const b0 = f32x4.splat(load<f32>(bias + ((<usize>o) << 2)));
    const yr = y + <usize>o * rowBytes;
    let j = 0;
    for (; j + 16 <= bp; j += 16) {
      const xj = x + ((<usize>j) << 2);
      let a0 = b0;
      let a1 = b0;
      let a2 = b0;
      let a3 = b0;
      for (let t = t0; t < t1; t++) {
        const w = f32x4.splat(load<f32>(vals + ((<usize>t) << 2)));
        const p = xj + <usize>load<i32>(cols + ((<usize>t) << 2)) * rowBytes;
        a0 = f32x4.add(a0, f32x4.mul(w, v128.load(p)));
        a1 = f32x4.add(a1, f32x4.mul(w, v128.load(p, 16)));
        a2 = f32x4.add(a2, f32x4.mul(w, v128.load(p, 32)));
        a3 = f32x4.add(a3, f32x4.mul(w, v128.load(p, 48)));
      }
      if (relu != 0) {
        a0 = f32x4.max(a0, zero);
        a1 = f32x4.max(a1, zero);
        a2 = f32x4.max(a2, zero);
        a3 = f32x4.max(a3, zero);
      }
      const q = yr + ((<usize>j) << 2);
      v128.store(q, a0);
      v128.store(q, a1, 16);
      v128.store(q, a2, 32);
      v128.store(q, a3, 48);
    }
    for (; j < bp; j += 4) {
      const xj = x + ((<usize>j) << 2);
      let a0 = b0;
      for (let t = t0; t < t1; t++) {
        const w = f32x4.splat(load<f32>(vals + ((<usize>t) << 2)));
        a0 = f32x4.add(
          a0,
          f32x4.mul(w, v128.load(xj + <usize>load<i32>(cols + ((<usize>t) << 2)) * rowBytes)),
        );
      }
      if (relu != 0) a0 = f32x4.max(a0, zero);
      v128.store(yr + ((<usize>j) << 2), a0);
    }
  }
}

/**
 * Batch >= 4, dense: y[o, b] = act(bias[o] + sum_k w[o, k] * x[k, b]), w [rows, n] row-major,
 * x [n, bp], y [rows, bp]: csrBatch's loop over every weight, without indices.
 */
export function denseBatch(
  w: usize,
  n: i32,
  rows: i32,
  x: usize,
  bias: usize,
  y: usize,
  bp: i32,
  relu: i32,
): void {
  const rowBytes = (<usize>bp) << 2;
  const zero = f32x4.splat(0);
  for (let o = 0; o < rows; o++) {
    const wr = w + <usize>o * ((<usize>n) << 2);
    const b0 = f32x4.splat(load<f32>(bias + ((<usize>o) << 2)));
    const yr = y + <usize>o * rowBytes;
    let j = 0;
    for (; j + 16 <= bp; j += 16) {
      let p = x + ((<usize>j) << 2);
      let a0 = b0;
      let a1 = b0;
      let a2 = b0;
      let a3 = b0;
      for (let k = 0; k < n; k++) {
        const s = f32x4.splat(load<f32>(wr + ((<usize>k) << 2)));
        a0 = f32x4.add(a0, f32x4.mul(s, v128.load(p)));
        a1 = f32x4.add(a1, f32x4.mul(s, v128.load(p, 16)));
        a2 = f32x4.add(a2, f32x4.mul(s, v128.load(p, 32)));
        a3 = f32x4.add(a3, f32x4.mul(s, v128.load(p, 48)));
        p += rowBytes;
      }
      if (relu != 0) {
        a0 = f32x4.max(a0, zero);
        a1 = f32x4.max(a1, zero);
        a2 = f32x4.max(a2, zero);
        a3 = f32x4.max(a3, zero);
      }
      const q = yr + ((<usize>j) << 2);
      v128.store(q, a0);
      v128.store(q, a1, 16);
      v128.store(q, a2, 32);
      v128.store(q, a3, 48);
    }
    for (; j < bp; j += 4) {
      let p = x + ((<usize>j) << 2);
      let a0 = b0;
      for (let k = 0; k < n; k++) {
        a0 = f32x4.add(a0, f32x4.mul(f32x4.splat(load<f32>(wr + ((<usize>k) << 2))), v128.load(p)));
        p += rowBytes;
      }
      if (relu != 0) a0 = f32x4.max(a0, zero);
      v128.store(yr + ((<usize>j) << 2), a0);
    }
  }
}

/**
 * Sparse direct convolution, stride 1, for n images:
 *   y[m, o, i, j] = act(bias[o] + sum_{t in rowPtr[o]..rowPtr[o+1]} vals[t] * x[m, offs[t] + i*pw + j])
 * where offs[t] is the byte offset of tap (c, a, b) in a padded input image ([ci][ph][pw],
 * xImage bytes apart) and output o's plane starts yPlane bytes after the last's, its rows
 * yRow bytes apart (so it can be the inside of the next layer's padded planes), images yImage
 * bytes apart. Each surviving tap scales a run of an input row; SIMD over the output width,
 * 16 columns (four registers) at a time, then 4 (the last 4 overlapping the ones before when
 * ow is not a multiple of 4: they are computed again), scalar when ow < 4.
 */
export function sparseConv(
  vals: usize,
  offs: usize,
  rowPtr: usize,
  co: i32,
  x: usize,
  xImage: i32,
  pw: i32,
  oh: i32,
  ow: i32,
  bias: usize,
  y: usize,
  yImage: i32,
  yPlane: i32,
  yRow: i32,
  n: i32,
  relu: i32,
): void {
  const inRow = (<usize>pw) << 2;
  const zero = f32x4.splat(0);
  for (let m = 0; m < n; m++) {
    const xm = x + <usize>m * <usize>xImage;
    const ym = y + <usize>m * <usize>yImage;
    for (let o = 0; o < co; o++) {
      const t0 = load<i32>(rowPtr + ((<usize>o) << 2));
      const t1 = load<i32>(rowPtr + ((<usize>(o + 1)) << 2));
      const bs = load<f32>(bias + ((<usize>o) << 2));
      const b0 = f32x4.splat(bs);
      const yo = ym + <usize>o * <usize>yPlane;
      for (let i = 0; i < oh; i++) {
        const xr = xm + <usize>i * inRow;
        const yr = yo + <usize>i * <usize>yRow;
        if (ow < 4) {
          for (let j = 0; j < ow; j++) {
            let s = bs;
            const xj = xr + ((<usize>j) << 2);
            for (let t = t0; t < t1; t++) {
              s +=
                load<f32>(vals + ((<usize>t) << 2)) *
                load<f32>(xj + <usize>load<i32>(offs + ((<usize>t) << 2)));
            }
            if (relu != 0 && s < 0) s = 0;
            store<f32>(yr + ((<usize>j) << 2), s);
          }
          continue;
        }
        let j = 0;
        for (; j + 16 <= ow; j += 16) {
          const xj = xr + ((<usize>j) << 2);
          let a0 = b0;
          let a1 = b0;
          let a2 = b0;
          let a3 = b0;
          for (let t = t0; t < t1; t++) {
            const w = f32x4.splat(load<f32>(vals + ((<usize>t) << 2)));
            const p = xj + <usize>load<i32>(offs + ((<usize>t) << 2));
            a0 = f32x4.add(a0, f32x4.mul(w, v128.load(p)));
            a1 = f32x4.add(a1, f32x4.mul(w, v128.load(p, 16)));
            a2 = f32x4.add(a2, f32x4.mul(w, v128.load(p, 32)));
            a3 = f32x4.add(a3, f32x4.mul(w, v128.load(p, 48)));
          }
          if (relu != 0) {
            a0 = f32x4.max(a0, zero);
            a1 = f32x4.max(a1, zero);
            a2 = f32x4.max(a2, zero);
            a3 = f32x4.max(a3, zero);
          }
          const q = yr + ((<usize>j) << 2);
          v128.store(q, a0);
          v128.store(q, a1, 16);
          v128.store(q, a2, 32);
          v128.store(q, a3, 48);
        }
        for (; j < ow; j += 4) {
          const jj = j + 4 <= ow ? j : ow - 4;
          const xj = xr + ((<usize>jj) << 2);
          let a0 = b0;
          for (let t = t0; t < t1; t++) {
            const w = f32x4.splat(load<f32>(vals + ((<usize>t) << 2)));
            a0 = f32x4.add(
              a0,
              f32x4.mul(w, v128.load(xj + <usize>load<i32>(offs + ((<usize>t) << 2)))),
            );
          }
          if (relu != 0) a0 = f32x4.max(a0, zero);
          v128.store(yr + ((<usize>jj) << 2), a0);
        }
      }
    }
  }
}

/**
 * 2x2 max pooling at stride 2 (no padding) of `planes` planes of ih x iw (contiguous, plane
 * after plane): y[p, r, q] = max of x[p, 2r..2r+1, 2q..2q+1], output rows yRow bytes apart and
 * planes yPlane bytes apart (the inside of the next layer's padded planes, or contiguous). SIMD:
 * 4 outputs from two rows of 8 inputs (the last 4 overlapping when ow is not a multiple of 4).
 */
export function maxPool2x2Planes(
  x: usize,
  planes: i32,
  ih: i32,
  iw: i32,
  y: usize,
  yPlane: i32,
  yRow: i32,
): void {
  const oh = ih >> 1;
  const ow = iw >> 1;
  const row = (<usize>iw) << 2;
  for (let p = 0; p < planes; p++) {
    const xp = x + <usize>p * <usize>ih * row;
    const yp = y + <usize>p * <usize>yPlane;
    for (let r = 0; r < oh; r++) {
      const top = xp + <usize>(2 * r) * row;
      const yr = yp + <usize>r * <usize>yRow;
      if (ow < 4) {
        for (let q = 0; q < ow; q++) {
          const a = top + ((<usize>(2 * q)) << 2);
          store<f32>(
            yr + ((<usize>q) << 2),
            max(max(load<f32>(a), load<f32>(a, 4)), max(load<f32>(a + row), load<f32>(a + row, 4))),
          );
        }
        continue;
      }
      for (let q = 0; q < ow; q += 4) {
        const qq = q + 4 <= ow ? q : ow - 4;
        const a = top + ((<usize>(2 * qq)) << 2);
        const m0 = f32x4.max(v128.load(a), v128.load(a + row));
        const m1 = f32x4.max(v128.load(a, 16), v128.load(a + row, 16));
        const even = f32x4.shuffle(m0, m1, 0, 2, 4, 6);
        const odd = f32x4.shuffle(m0, m1, 1, 3, 5, 7);
        v128.store(yr + ((<usize>qq) << 2), f32x4.max(even, odd));
      }
    }
  }
}

/**
 * NHWC images to zero-padded CHW planes: y[m, d, top + i, left + j] = x[m, i, j, d] with y's
 * planes ph x pw and images c * ph * pw floats apart. Writes only the inside: the border is
 * zeroed once, when the buffer is made.
 */
export function nhwcToPlanes(
  x: usize,
  n: i32,
  h: i32,
  w: i32,
  c: i32,
  y: usize,
  ph: i32,
  pw: i32,
  top: i32,
  left: i32,
): void {
  const plane = <usize>(ph * pw);
  for (let m = 0; m < n; m++) {
    const ym = y + ((<usize>m * <usize>c * plane) << 2);
    const xm = x + ((<usize>(m * h * w * c)) << 2);
    if (c == 1) {
      for (let i = 0; i < h; i++) {
        memory.copy(
          ym + ((<usize>((top + i) * pw + left)) << 2),
          xm + ((<usize>(i * w)) << 2),
          (<usize>w) << 2,
        );
      }
      continue;
    }
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        const src = xm + ((<usize>((i * w + j) * c)) << 2);
        const at = ym + ((<usize>((top + i) * pw + left + j)) << 2);
        for (let d = 0; d < c; d++) {
          store<f32>(at + ((<usize>d * plane) << 2), load<f32>(src + ((<usize>d) << 2)));
        }
      }
    }
  }
}

/**
 * y[j, i] = x[i, j] for x [rows, cols] row-major and y [cols, ldy] (ldy >= rows: the columns
 * past `rows` are left alone). 4x4 blocks through SIMD shuffles where both fit, else scalar.
 */
export function transpose(x: usize, rows: i32, cols: i32, y: usize, ldy: i32): void {
  const xRow = (<usize>cols) << 2;
  const yRow = (<usize>ldy) << 2;
  const r4 = rows & ~3;
  const c4 = cols & ~3;
  for (let i = 0; i < r4; i += 4) {
    for (let j = 0; j < c4; j += 4) {
      const a = x + <usize>i * xRow + ((<usize>j) << 2);
      const v0 = v128.load(a);
      const v1 = v128.load(a + xRow);
      const v2 = v128.load(a + 2 * xRow);
      const v3 = v128.load(a + 3 * xRow);
      const t0 = f32x4.shuffle(v0, v1, 0, 4, 1, 5);
      const t1 = f32x4.shuffle(v2, v3, 0, 4, 1, 5);
      const t2 = f32x4.shuffle(v0, v1, 2, 6, 3, 7);
      const t3 = f32x4.shuffle(v2, v3, 2, 6, 3, 7);
      const b = y + <usize>j * yRow + ((<usize>i) << 2);
      v128.store(b, f32x4.shuffle(t0, t1, 0, 1, 4, 5));
      v128.store(b + yRow, f32x4.shuffle(t0, t1, 2, 3, 6, 7));
      v128.store(b + 2 * yRow, f32x4.shuffle(t2, t3, 0, 1, 4, 5));
      v128.store(b + 3 * yRow, f32x4.shuffle(t2, t3, 2, 3, 6, 7));
    }
  }
  for (let i = 0; i < rows; i++) {
    const j0 = i < r4 ? c4 : 0;
    for (let j = j0; j < cols; j++) {
      store<f32>(
        y + <usize>j * yRow + ((<usize>i) << 2),
        load<f32>(x + <usize>i * xRow + ((<usize>j) << 2)),
      );
    }
  }
}
