// AssemblyScript source of Pruning Lab's SIMD training kernels for the tfjs WASM backend.
//
// The module imports tfjs's own WebAssembly memory and works in place on tensors there: every
// pointer is a byte offset into that heap (the `memoryOffset` tfjs keeps per tensor). It has
// no data segments and allocates nothing, so instantiating it writes nothing to tfjs's heap.
// Layouts are NHWC, float32. Build: `npm run build:kernels` (writes src/engine/kernels/
// lab-kernels.wasm.ts; a unit test checks that file matches this source).

// @ts-nocheck: AssemblyScript (f32, v128, usize, load/store builtins), not TypeScript.

/**
 * Max-pool gradient for 2x2 windows at stride 2 without padding. Each window's gradient goes to
 * its first maximum in row-major order (tfjs's CPU rule); inputs past the last whole window get 0.
 */
export function maxPoolGrad2x2(
  x: usize,
  dy: usize,
  dx: usize,
  n: i32,
  inH: i32,
  inW: i32,
  c: i32,
  outH: i32,
  outW: i32,
): void {
  if (outH * 2 < inH || outW * 2 < inW) memory.fill(dx, 0, (<usize>(n * inH * inW * c)) << 2);
  const px = (<usize>c) << 2;
  const row = (<usize>(inW * c)) << 2;
  for (let m = 0; m < n; m++) {
    for (let r = 0; r < outH; r++) {
      for (let q = 0; q < outW; q++) {
        const at = (<usize>(((m * inH + 2 * r) * inW + 2 * q) * c)) << 2;
        const a = x + at;
        const o = dx + at;
        const g = dy + ((<usize>(((m * outH + r) * outW + q) * c)) << 2);
        if (c >= 4) {
          for (let d = 0; d < c; d += 4) {
            // The last block overlaps the one before when c is not a multiple of 4: it writes
            // the same values again.
            const k = (<usize>(d + 4 <= c ? d : c - 4)) << 2;
            const v0 = v128.load(a + k);
            const v1 = v128.load(a + px + k);
            const v2 = v128.load(a + row + k);
            const v3 = v128.load(a + row + px + k);
            const top = f32x4.max(f32x4.max(v0, v1), f32x4.max(v2, v3));
            const e0 = f32x4.eq(v0, top);
            let taken = e0;
            const e1 = v128.andnot(f32x4.eq(v1, top), taken);
            taken = v128.or(taken, e1);
            const e2 = v128.andnot(f32x4.eq(v2, top), taken);
            taken = v128.or(taken, e2);
            const e3 = v128.andnot(f32x4.eq(v3, top), taken);
            const gv = v128.load(g + k);
            v128.store(o + k, v128.and(gv, e0));
            v128.store(o + px + k, v128.and(gv, e1));
            v128.store(o + row + k, v128.and(gv, e2));
            v128.store(o + row + px + k, v128.and(gv, e3));
          }
        } else {
          for (let d = 0; d < c; d++) {
            const k = (<usize>d) << 2;
            const s0 = load<f32>(a + k);
            const s1 = load<f32>(a + px + k);
            const s2 = load<f32>(a + row + k);
            const s3 = load<f32>(a + row + px + k);
            let best = s0;
            let which = 0;
            if (s1 > best) {
              best = s1;
              which = 1;
            }
            if (s2 > best) {
              best = s2;
              which = 2;
            }
            if (s3 > best) which = 3;
            const gs = load<f32>(g + k);
            store<f32>(o + k, which == 0 ? gs : 0);
            store<f32>(o + px + k, which == 1 ? gs : 0);
            store<f32>(o + row + k, which == 2 ? gs : 0);
            store<f32>(o + row + px + k, which == 3 ? gs : 0);
          }
        }
      }
    }
  }
}

/** out[r, d] = x[r, d] + bias[d] for `rows` rows of `c` values (out may be x). */
export function addBias(x: usize, bias: usize, out: usize, rows: i32, c: i32): void {
  const stride = (<usize>c) << 2;
  if (c >= 4 && x != out) {
    for (let r = 0; r < rows; r++) {
      const a = x + <usize>r * stride;
      const o = out + <usize>r * stride;
      for (let d = 0; d < c; d += 4) {
        const k = (<usize>(d + 4 <= c ? d : c - 4)) << 2;
        v128.store(o + k, f32x4.add(v128.load(a + k), v128.load(bias + k)));
      }
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    const a = x + <usize>r * stride;
    const o = out + <usize>r * stride;
    for (let d = 0; d < c; d++) {
      const k = (<usize>d) << 2;
      store<f32>(o + k, load<f32>(a + k) + load<f32>(bias + k));
    }
  }
}

/** Rows summed into a partial sum before it joins the total (keeps float32 error small). */
const SUM_BLOCK = 256;

/**
 * out[d] = sum over r of x[r, d]: the column sums of a rows x c matrix (a bias gradient), in
 * blocks of SUM_BLOCK rows.
 */
export function sumRows(x: usize, out: usize, rows: i32, c: i32): void {
  const stride = (<usize>c) << 2;
  if (c >= 4) {
    // Blocks of 4 columns; the last overlaps the one before when c is not a multiple of 4 and
    // writes the same sums again.
    for (let d = 0; d < c; d += 4) {
      const k = (<usize>(d + 4 <= c ? d : c - 4)) << 2;
      let total = f32x4.splat(0);
      for (let r0 = 0; r0 < rows; r0 += SUM_BLOCK) {
        const r1 = r0 + SUM_BLOCK < rows ? r0 + SUM_BLOCK : rows;
        let acc = f32x4.splat(0);
        for (let r = r0; r < r1; r++) acc = f32x4.add(acc, v128.load(x + <usize>r * stride + k));
        total = f32x4.add(total, acc);
      }
      v128.store(out + k, total);
    }
    return;
  }
  for (let d = 0; d < c; d++) {
    const k = (<usize>d) << 2;
    let total: f32 = 0;
    for (let r0 = 0; r0 < rows; r0 += SUM_BLOCK) {
      const r1 = r0 + SUM_BLOCK < rows ? r0 + SUM_BLOCK : rows;
      let acc: f32 = 0;
      for (let r = r0; r < r1; r++) acc += load<f32>(x + <usize>r * stride + k);
      total += acc;
    }
    store<f32>(out + k, total);
  }
}

/** dst[0..len) += src[0..len) (float32). */
function addRun(dst: usize, src: usize, len: i32): void {
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const k = (<usize>i) << 2;
    v128.store(dst + k, f32x4.add(v128.load(dst + k), v128.load(src + k)));
  }
  for (; i < len; i++) {
    const k = (<usize>i) << 2;
    store<f32>(dst + k, load<f32>(dst + k) + load<f32>(src + k));
  }
}

/**
 * col2im: the input gradient of a convolution from the gradient of its patch matrix.
 * cols is [n * outH * outW, kh * kw * c] (patch of output pixel p: tap (a, b), channel d);
 * dx[m, i * sH + a - top, j * sW + b - left, d] += cols[(m, i, j), a, b, d], dx zeroed first.
 * For fixed (m, i, j, a) the taps b are consecutive columns of dx, so each addition is one
 * contiguous run of up to kw * c values.
 */
export function col2im(
  cols: usize,
  dx: usize,
  n: i32,
  inH: i32,
  inW: i32,
  c: i32,
  outH: i32,
  outW: i32,
  kh: i32,
  kw: i32,
  sH: i32,
  sW: i32,
  top: i32,
  left: i32,
): void {
  memory.fill(dx, 0, (<usize>(n * inH * inW * c)) << 2);
  const patch = kh * kw * c;
  for (let m = 0; m < n; m++) {
    for (let i = 0; i < outH; i++) {
      for (let j = 0; j < outW; j++) {
        const p = cols + ((<usize>(((m * outH + i) * outW + j) * patch)) << 2);
        const col0 = j * sW - left;
        const b0 = col0 < 0 ? -col0 : 0;
        const b1 = col0 + kw > inW ? inW - col0 : kw;
        if (b1 <= b0) continue;
        for (let a = 0; a < kh; a++) {
          const r = i * sH + a - top;
          if (r < 0 || r >= inH) continue;
          const dst = dx + ((<usize>(((m * inH + r) * inW + col0 + b0) * c)) << 2);
          const src = p + ((<usize>((a * kw + b0) * c)) << 2);
          addRun(dst, src, (b1 - b0) * c);
        }
      }
    }
  }
}

/**
 * Filter gradient of a stride-1 convolution with one input channel, straight from the padded
 * input (no patch matrix): dw[a * kw + b, o] = sum over (m, i, j) of
 * xpad[m, i + a, j + b] * dy[(m, i, j), o], with xpad [n, ph, pw], dy [n * outH * outW, co] and
 * co >= 4. Output channels go in pairs of 4-lane blocks (the last pair overlapping the one
 * before when co is not a multiple of 8: those lanes get the same sums), taps in blocks of 5.
 */
export function convFilterGradC1(
  xpad: usize,
  dy: usize,
  dw: usize,
  n: i32,
  ph: i32,
  pw: i32,
  outH: i32,
  outW: i32,
  kh: i32,
  kw: i32,
  co: i32,
): void {
  const taps = kh * kw;
  const dyStride = (<usize>co) << 2;
  const rowSkip = (<usize>(pw - outW)) << 2;
  const imageSkip = (<usize>((ph - outH) * pw)) << 2;
  for (let ob = 0; ob < co; ob += 8) {
    const lo = (<usize>(ob < co - 4 ? ob : co - 4)) << 2;
    const hi = (<usize>(ob + 4 < co - 4 ? ob + 4 : co - 4)) << 2;
    for (let t0 = 0; t0 < taps; t0 += 5) {
      const count = taps - t0 < 5 ? taps - t0 : 5;
      // Byte offsets of the block's taps from a pixel's top-left input; unused slots repeat t0.
      const f0 = tapOffset(t0, t0, count, kw, pw);
      const f1 = tapOffset(t0 + 1, t0, count, kw, pw);
      const f2 = tapOffset(t0 + 2, t0, count, kw, pw);
      const f3 = tapOffset(t0 + 3, t0, count, kw, pw);
      const f4 = tapOffset(t0 + 4, t0, count, kw, pw);
      let l0 = f32x4.splat(0);
      let l1 = l0;
      let l2 = l0;
      let l3 = l0;
      let l4 = l0;
      let h0 = l0;
      let h1 = l0;
      let h2 = l0;
      let h3 = l0;
      let h4 = l0;
      // Written out per tap: the ten accumulators must stay in registers, which a loop over an
      // array of v128 would not allow.
      let xp = xpad;
      let dp = dy;
      for (let m = 0; m < n; m++) {
        for (let i = 0; i < outH; i++) {
          for (let j = 0; j < outW; j++) {
            const dl = v128.load(dp + lo);
            const dh = v128.load(dp + hi);
            let s = f32x4.splat(load<f32>(xp + f0));
            l0 = f32x4.add(l0, f32x4.mul(s, dl));
            h0 = f32x4.add(h0, f32x4.mul(s, dh));
            s = f32x4.splat(load<f32>(xp + f1));
            l1 = f32x4.add(l1, f32x4.mul(s, dl));
            h1 = f32x4.add(h1, f32x4.mul(s, dh));
            s = f32x4.splat(load<f32>(xp + f2));
            l2 = f32x4.add(l2, f32x4.mul(s, dl));
            h2 = f32x4.add(h2, f32x4.mul(s, dh));
            s = f32x4.splat(load<f32>(xp + f3));
            l3 = f32x4.add(l3, f32x4.mul(s, dl));
            h3 = f32x4.add(h3, f32x4.mul(s, dh));
            s = f32x4.splat(load<f32>(xp + f4));
            l4 = f32x4.add(l4, f32x4.mul(s, dl));
            h4 = f32x4.add(h4, f32x4.mul(s, dh));
            xp += 4;
            dp += dyStride;
          }
          xp += rowSkip;
        }
        xp += imageSkip;
      }
      const out = dw + <usize>t0 * dyStride;
      storePair(out, lo, hi, l0, h0);
      if (count > 1) storePair(out + dyStride, lo, hi, l1, h1);
      if (count > 2) storePair(out + 2 * dyStride, lo, hi, l2, h2);
      if (count > 3) storePair(out + 3 * dyStride, lo, hi, l3, h3);
      if (count > 4) storePair(out + 4 * dyStride, lo, hi, l4, h4);
    }
  }
}

/**
 * Output gradient values (pixels x output channels) one chunk of convFilterGrad covers: 32 KB,
 * so that the chunk's dy stays in the L1 cache while every tile passes over it.
 */
const FILTER_GRAD_CHUNK = 8192;

/**
 * Filter gradient of a convolution, any input channels, any stride, from the zero-padded input:
 * dw[a, b, c, o] = sum over (m, i, j) of xpad[m, i sH + a, j sW + b, c] * dy[(m, i, j), o], with
 * xpad [n, ph, pw, ci], dy [n * outH * outW, co], dw [kh, kw, ci, co], co a multiple of 4.
 * A GEMM whose inner dimension is the pixels: output rows go in chunks of about
 * FILTER_GRAD_CHUNK values of dy (they and the input rows stay in cache), and within a chunk each
 * tile of 4 input channels x 8 output channels of one tap keeps its 8 accumulators in registers
 * across the chunk's pixels (x splatted, dy loaded as vectors). Leftover channels (ci not a
 * multiple of 4, co not of 8) take 1-channel rows and 4-channel columns.
 */
export function convFilterGrad(
  xpad: usize,
  dy: usize,
  dw: usize,
  n: i32,
  ph: i32,
  pw: i32,
  ci: i32,
  outH: i32,
  outW: i32,
  co: i32,
  kh: i32,
  kw: i32,
  sH: i32,
  sW: i32,
  g0: i32,
  g1: i32,
): void {
  const coBytes = (<usize>co) << 2;
  const ci4 = ci & ~3;
  const co8 = co & ~7;
  // Groups of dw rows, in memory order: per tap, blocks of 4 input channels then single ones.
  // This call computes groups [g0, g1) (threads split a layer by groups: disjoint rows of dw).
  const blocks = ci4 >> 2;
  const steps = blocks + ci - ci4;
  const first = filterGradRow(g0, steps, blocks, ci4, ci);
  const last = filterGradRow(g1, steps, blocks, ci4, ci);
  // Plain SIMD stores, not memory.fill: with the groups on several threads, V8's memory.fill
  // on the shared heap lost writes that other threads made beside it (the tests caught sums
  // counted twice); co is a multiple of 4, so the rows are whole vectors.
  zero4(dw + <usize>first * coBytes, (last - first) * co);
  const chunk = outW * co >= FILTER_GRAD_CHUNK ? 1 : FILTER_GRAD_CHUNK / (outW * co);
  const rows = n * outH;
  for (let r0 = 0; r0 < rows; r0 += chunk) {
    const r1 = r0 + chunk < rows ? r0 + chunk : rows;
    for (let g = g0; g < g1; g++) {
      const t = g / steps;
      const step = g - t * steps;
      const a = t / kw;
      const b = t - a * kw;
      const wide = step < blocks;
      const c = wide ? step << 2 : ci4 + step - blocks;
      const row = dw + <usize>(t * ci + c) * coBytes;
      for (let o = 0; o < co; o += o < co8 ? 8 : 4) {
        filterGradTile(
          xpad,
          dy,
          row + ((<usize>o) << 2),
          r0,
          r1,
          outH,
          outW,
          ph,
          pw,
          ci,
          co,
          a,
          b,
          c,
          o,
          sH,
          sW,
          wide,
          o < co8,
        );
      }
    }
  }
}

/** The first dw row (tap * ci + channel) of group g of convFilterGrad (g may be the end). */
function filterGradRow(g: i32, steps: i32, blocks: i32, ci4: i32, ci: i32): i32 {
  const t = g / steps;
  const step = g - t * steps;
  return t * ci + (step < blocks ? step << 2 : ci4 + step - blocks);
}

/**
 * One tile of convFilterGrad over output rows [r0, r1): 4 (wide) or 1 input channels from c,
 * 8 (eight) or 4 output channels from o, accumulated into dw at acc.
 */
function filterGradTile(
  xpad: usize,
  dy: usize,
  acc: usize,
  r0: i32,
  r1: i32,
  outH: i32,
  outW: i32,
  ph: i32,
  pw: i32,
  ci: i32,
  co: i32,
  a: i32,
  b: i32,
  c: i32,
  o: i32,
  sH: i32,
  sW: i32,
  wide: bool,
  eight: bool,
): void {
  const coBytes = (<usize>co) << 2;
  const xStep = (<usize>(sW * ci)) << 2;
  let a0 = v128.load(acc);
  let a1 = eight ? v128.load(acc + 16) : f32x4.splat(0);
  let b0 = f32x4.splat(0);
  let b1 = b0;
  let c0 = b0;
  let c1 = b0;
  let d0 = b0;
  let d1 = b0;
  if (wide) {
    b0 = v128.load(acc + coBytes);
    c0 = v128.load(acc + 2 * coBytes);
    d0 = v128.load(acc + 3 * coBytes);
    if (eight) {
      b1 = v128.load(acc + coBytes + 16);
      c1 = v128.load(acc + 2 * coBytes + 16);
      d1 = v128.load(acc + 3 * coBytes + 16);
    }
  }
  // The first row's input and output gradient; then each row steps sH input rows (and past the
  // bottom padding at the end of an image) and one output row.
  const m0 = r0 / outH;
  let i = r0 - m0 * outH;
  const ciBytes = (<usize>ci) << 2;
  const inRow = <usize>(sH * pw) * ciBytes;
  const imageSkip = <usize>((ph - outH * sH) * pw) * ciBytes;
  const outRow = <usize>outW * coBytes;
  let xRow = xpad + ((<usize>(((m0 * ph + i * sH + a) * pw + b) * ci + c)) << 2);
  let dRow = dy + <usize>r0 * outRow + ((<usize>o) << 2);
  for (let r = r0; r < r1; r++) {
    let xp = xRow;
    let dp = dRow;
    xRow += inRow;
    dRow += outRow;
    if (++i === outH) {
      i = 0;
      xRow += imageSkip;
    }
    if (wide && eight) {
      for (let j = 0; j < outW; j++) {
        const g0 = v128.load(dp);
        const g1 = v128.load(dp + 16);
        let s = f32x4.splat(load<f32>(xp));
        a0 = f32x4.add(a0, f32x4.mul(s, g0));
        a1 = f32x4.add(a1, f32x4.mul(s, g1));
        s = f32x4.splat(load<f32>(xp + 4));
        b0 = f32x4.add(b0, f32x4.mul(s, g0));
        b1 = f32x4.add(b1, f32x4.mul(s, g1));
        s = f32x4.splat(load<f32>(xp + 8));
        c0 = f32x4.add(c0, f32x4.mul(s, g0));
        c1 = f32x4.add(c1, f32x4.mul(s, g1));
        s = f32x4.splat(load<f32>(xp + 12));
        d0 = f32x4.add(d0, f32x4.mul(s, g0));
        d1 = f32x4.add(d1, f32x4.mul(s, g1));
        xp += xStep;
        dp += coBytes;
      }
    } else if (wide) {
      for (let j = 0; j < outW; j++) {
        const g0 = v128.load(dp);
        a0 = f32x4.add(a0, f32x4.mul(f32x4.splat(load<f32>(xp)), g0));
        b0 = f32x4.add(b0, f32x4.mul(f32x4.splat(load<f32>(xp + 4)), g0));
        c0 = f32x4.add(c0, f32x4.mul(f32x4.splat(load<f32>(xp + 8)), g0));
        d0 = f32x4.add(d0, f32x4.mul(f32x4.splat(load<f32>(xp + 12)), g0));
        xp += xStep;
        dp += coBytes;
      }
    } else if (eight) {
      for (let j = 0; j < outW; j++) {
        const s = f32x4.splat(load<f32>(xp));
        a0 = f32x4.add(a0, f32x4.mul(s, v128.load(dp)));
        a1 = f32x4.add(a1, f32x4.mul(s, v128.load(dp + 16)));
        xp += xStep;
        dp += coBytes;
      }
    } else {
      for (let j = 0; j < outW; j++) {
        a0 = f32x4.add(a0, f32x4.mul(f32x4.splat(load<f32>(xp)), v128.load(dp)));
        xp += xStep;
        dp += coBytes;
      }
    }
  }
  v128.store(acc, a0);
  if (eight) v128.store(acc + 16, a1);
  if (wide) {
    v128.store(acc + coBytes, b0);
    v128.store(acc + 2 * coBytes, c0);
    v128.store(acc + 3 * coBytes, d0);
    if (eight) {
      v128.store(acc + coBytes + 16, b1);
      v128.store(acc + 2 * coBytes + 16, c1);
      v128.store(acc + 3 * coBytes + 16, d1);
    }
  }
}

function tapOffset(t: i32, t0: i32, count: i32, kw: i32, pw: i32): usize {
  const tap = t < t0 + count ? t : t0;
  return (<usize>((tap / kw) * pw + (tap % kw))) << 2;
}

function storePair(at: usize, lo: usize, hi: usize, l: v128, h: v128): void {
  v128.store(at + lo, l);
  v128.store(at + hi, h);
}

/**
 * Zero padding of NHWC images: out[m, r + top, q + left, d] = x[m, r, q, d] inside, 0 in the
 * border; out is [n, h + top + bottom, w + left + right, c]. One copy per image row.
 */
export function padImages(
  x: usize,
  out: usize,
  n: i32,
  h: i32,
  w: i32,
  c: i32,
  top: i32,
  bottom: i32,
  left: i32,
  right: i32,
): void {
  const pw = w + left + right;
  const rowBytes = (<usize>(w * c)) << 2;
  const outRow = (<usize>(pw * c)) << 2;
  const leftBytes = (<usize>(left * c)) << 2;
  const rightBytes = (<usize>(right * c)) << 2;
  let src = x;
  let dst = out;
  for (let m = 0; m < n; m++) {
    if (top > 0) {
      memory.fill(dst, 0, <usize>top * outRow);
      dst += <usize>top * outRow;
    }
    for (let r = 0; r < h; r++) {
      if (left > 0) memory.fill(dst, 0, leftBytes);
      memory.copy(dst + leftBytes, src, rowBytes);
      if (right > 0) memory.fill(dst + leftBytes + rowBytes, 0, rightBytes);
      src += rowBytes;
      dst += outRow;
    }
    if (bottom > 0) {
      memory.fill(dst, 0, <usize>bottom * outRow);
      dst += <usize>bottom * outRow;
    }
  }
}

/** out[0..c) = 0 (c a multiple of 4). */
function zero4(out: usize, c: i32): void {
  for (let d = 0; d < c; d += 4) v128.store(out + ((<usize>d) << 2), f32x4.splat(0));
}

/**
 * Batch norm in training mode over the last axis of a rows x c matrix (NHWC with rows = n*h*w),
 * c a multiple of 4, as tf.layers.batchNormalization computes it: mean and the biased variance
 * of each channel over the batch (two passes, each summed in blocks of SUM_BLOCK rows), then
 * y = (x - mean) * (gamma / sqrt(variance + eps)) + beta. scratch holds 2c floats.
 */
export function batchNormTrain(
  x: usize,
  gamma: usize,
  beta: usize,
  y: usize,
  mean: usize,
  variance: usize,
  scratch: usize,
  rows: i32,
  c: i32,
  eps: f32,
): void {
  const stride = (<usize>c) << 2;
  const block = scratch;
  const scale = scratch + stride;
  const inv = f32x4.splat(<f32>1 / <f32>rows);
  zero4(mean, c);
  for (let r0 = 0; r0 < rows; r0 += SUM_BLOCK) {
    const r1 = r0 + SUM_BLOCK < rows ? r0 + SUM_BLOCK : rows;
    zero4(block, c);
    for (let r = r0; r < r1; r++) {
      const a = x + <usize>r * stride;
      for (let d = 0; d < c; d += 4) {
        const k = (<usize>d) << 2;
        v128.store(block + k, f32x4.add(v128.load(block + k), v128.load(a + k)));
      }
    }
    for (let d = 0; d < c; d += 4) {
      const k = (<usize>d) << 2;
      v128.store(mean + k, f32x4.add(v128.load(mean + k), v128.load(block + k)));
    }
  }
  for (let d = 0; d < c; d += 4) {
    const k = (<usize>d) << 2;
    v128.store(mean + k, f32x4.mul(v128.load(mean + k), inv));
  }
  zero4(variance, c);
  for (let r0 = 0; r0 < rows; r0 += SUM_BLOCK) {
    const r1 = r0 + SUM_BLOCK < rows ? r0 + SUM_BLOCK : rows;
    zero4(block, c);
    for (let r = r0; r < r1; r++) {
      const a = x + <usize>r * stride;
      for (let d = 0; d < c; d += 4) {
        const k = (<usize>d) << 2;
        const dev = f32x4.sub(v128.load(a + k), v128.load(mean + k));
        v128.store(block + k, f32x4.add(v128.load(block + k), f32x4.mul(dev, dev)));
      }
    }
    for (let d = 0; d < c; d += 4) {
      const k = (<usize>d) << 2;
      v128.store(variance + k, f32x4.add(v128.load(variance + k), v128.load(block + k)));
    }
  }
  const e = f32x4.splat(eps);
  for (let d = 0; d < c; d += 4) {
    const k = (<usize>d) << 2;
    const v = f32x4.mul(v128.load(variance + k), inv);
    v128.store(variance + k, v);
    v128.store(scale + k, f32x4.div(v128.load(gamma + k), f32x4.sqrt(f32x4.add(v, e))));
  }
  for (let r = 0; r < rows; r++) {
    const a = x + <usize>r * stride;
    const o = y + <usize>r * stride;
    for (let d = 0; d < c; d += 4) {
      const k = (<usize>d) << 2;
      const dev = f32x4.sub(v128.load(a + k), v128.load(mean + k));
      v128.store(o + k, f32x4.add(f32x4.mul(dev, v128.load(scale + k)), v128.load(beta + k)));
    }
  }
}

/**
 * The gradient of batchNormTrain, through the batch statistics too (the closed form of what
 * autodiff through tf.moments gives). With inv = 1 / sqrt(variance + eps), xhat = (x - mean) inv:
 * dbeta = sum_r dy, dgamma = sum_r dy xhat, dx = gamma inv (dy - dbeta/rows - xhat dgamma/rows).
 * scratch holds 5c floats.
 */
export function batchNormTrainGrad(
  x: usize,
  dy: usize,
  mean: usize,
  variance: usize,
  gamma: usize,
  dx: usize,
  dgamma: usize,
  dbeta: usize,
  scratch: usize,
  rows: i32,
  c: i32,
  eps: f32,
): void {
  const stride = (<usize>c) << 2;
  const blockDy = scratch;
  const blockDyDev = scratch + stride;
  const invStd = scratch + 2 * stride;
  const k1 = scratch + 3 * stride;
  const k2 = scratch + 4 * stride;
  const e = f32x4.splat(eps);
  for (let d = 0; d < c; d += 4) {
    const k = (<usize>d) << 2;
    v128.store(
      invStd + k,
      f32x4.div(f32x4.splat(1), f32x4.sqrt(f32x4.add(v128.load(variance + k), e))),
    );
  }
  zero4(dbeta, c);
  zero4(dgamma, c);
  for (let r0 = 0; r0 < rows; r0 += SUM_BLOCK) {
    const r1 = r0 + SUM_BLOCK < rows ? r0 + SUM_BLOCK : rows;
    zero4(blockDy, c);
    zero4(blockDyDev, c);
    for (let r = r0; r < r1; r++) {
      const a = x + <usize>r * stride;
      const g = dy + <usize>r * stride;
      for (let d = 0; d < c; d += 4) {
        const k = (<usize>d) << 2;
        const gv = v128.load(g + k);
        const dev = f32x4.sub(v128.load(a + k), v128.load(mean + k));
        v128.store(blockDy + k, f32x4.add(v128.load(blockDy + k), gv));
        v128.store(blockDyDev + k, f32x4.add(v128.load(blockDyDev + k), f32x4.mul(gv, dev)));
      }
    }
    for (let d = 0; d < c; d += 4) {
      const k = (<usize>d) << 2;
      v128.store(dbeta + k, f32x4.add(v128.load(dbeta + k), v128.load(blockDy + k)));
      v128.store(dgamma + k, f32x4.add(v128.load(dgamma + k), v128.load(blockDyDev + k)));
    }
  }
  const inv = f32x4.splat(<f32>1 / <f32>rows);
  for (let d = 0; d < c; d += 4) {
    const k = (<usize>d) << 2;
    const s = v128.load(invStd + k);
    const dg = f32x4.mul(v128.load(dgamma + k), s);
    v128.store(dgamma + k, dg);
    // dx = k1 (dy - mean(dy)) - k2 (x - mean), k1 = gamma inv, k2 = k1 inv mean(dy xhat).
    const kk = f32x4.mul(v128.load(gamma + k), s);
    v128.store(k1 + k, kk);
    v128.store(k2 + k, f32x4.mul(f32x4.mul(kk, s), f32x4.mul(dg, inv)));
    v128.store(blockDy + k, f32x4.mul(v128.load(dbeta + k), inv));
  }
  for (let r = 0; r < rows; r++) {
    const a = x + <usize>r * stride;
    const g = dy + <usize>r * stride;
    const o = dx + <usize>r * stride;
    for (let d = 0; d < c; d += 4) {
      const k = (<usize>d) << 2;
      const dev = f32x4.sub(v128.load(a + k), v128.load(mean + k));
      const centred = f32x4.sub(v128.load(g + k), v128.load(blockDy + k));
      v128.store(
        o + k,
        f32x4.sub(f32x4.mul(v128.load(k1 + k), centred), f32x4.mul(v128.load(k2 + k), dev)),
      );
    }
  }
}

// The sparse inference kernels (a pruned network's forward pass on a memory of its own).
export * from './sparse-inference';

// Winograd F(2x2, 3x3) (Lavin & Gray 2016) for 3x3 convolutions at stride 1: each 2x2 block of
// outputs ("tile") is Y = A^T [(G g G^T) . (B^T d B)] A over its 4x4 input patch d, so a layer
// is 16 GEMMs ([tiles, ci] x [ci, co], one per point xi of the 4x4 transform) between these
// transforms, 2.25x fewer multiplies than the direct convolution. With
//   B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1],  G = [1 0 0; .5 .5 .5; .5 -.5 .5; 0 0 1],
//   A^T = [1 1 1 0; 0 1 -1 -1].
// Tile t = (m * th + ty) * tw + tx covers outputs (2 ty .. 2 ty + 1, 2 tx .. 2 tx + 1) of image
// m. The 16 matrices of a transform live in separate tensors: `table` is the byte offset of 16
// i32 byte offsets, one per xi = 4 i + j. Channel counts are multiples of 4. The transforms
// of the data do images [m0, m1) of the batch (threads split a batch by images).

function tableAt(table: usize, xi: i32): usize {
  return <usize>load<i32>(table + ((<usize>xi) << 2));
}

/** x[m, r, q, d0..d0+3] when (r, q) is inside the h x w image, else 0. */
function pixel4(x: usize, m: i32, r: i32, q: i32, h: i32, w: i32, c: i32, d: i32): v128 {
  if (r < 0 || r >= h || q < 0 || q >= w) return f32x4.splat(0);
  return v128.load(x + ((<usize>(((m * h + r) * w + q) * c + d)) << 2));
}

/**
 * Input transform: V[xi][t, d] = (B^T d B)[i, j] for the patch d = x[m, 2 ty - top + a,
 * 2 tx - left + b, d] (a, b in 0..3; 0 outside the image), x [n, h, w, c].
 */
export function winogradInput(
  x: usize,
  h: i32,
  w: i32,
  c: i32,
  top: i32,
  left: i32,
  th: i32,
  tw: i32,
  table: usize,
  m0: i32,
  m1: i32,
): void {
  for (let m = m0; m < m1; m++) {
    for (let ty = 0; ty < th; ty++) {
      const r0 = 2 * ty - top;
      for (let tx = 0; tx < tw; tx++) {
        const q0 = 2 * tx - left;
        const t = (m * th + ty) * tw + tx;
        const inside = r0 >= 0 && r0 + 4 <= h && q0 >= 0 && q0 + 4 <= w;
        for (let d = 0; d < c; d += 4) {
          let d00: v128, d01: v128, d02: v128, d03: v128;
          let d10: v128, d11: v128, d12: v128, d13: v128;
          let d20: v128, d21: v128, d22: v128, d23: v128;
          let d30: v128, d31: v128, d32: v128, d33: v128;
          if (inside) {
            const rowBytes = (<usize>(w * c)) << 2;
            const px = (<usize>c) << 2;
            const p = x + ((<usize>(((m * h + r0) * w + q0) * c + d)) << 2);
            d00 = v128.load(p);
            d01 = v128.load(p + px);
            d02 = v128.load(p + 2 * px);
            d03 = v128.load(p + 3 * px);
            const p1 = p + rowBytes;
            d10 = v128.load(p1);
            d11 = v128.load(p1 + px);
            d12 = v128.load(p1 + 2 * px);
            d13 = v128.load(p1 + 3 * px);
            const p2 = p1 + rowBytes;
            d20 = v128.load(p2);
            d21 = v128.load(p2 + px);
            d22 = v128.load(p2 + 2 * px);
            d23 = v128.load(p2 + 3 * px);
            const p3 = p2 + rowBytes;
            d30 = v128.load(p3);
            d31 = v128.load(p3 + px);
            d32 = v128.load(p3 + 2 * px);
            d33 = v128.load(p3 + 3 * px);
          } else {
            d00 = pixel4(x, m, r0, q0, h, w, c, d);
            d01 = pixel4(x, m, r0, q0 + 1, h, w, c, d);
            d02 = pixel4(x, m, r0, q0 + 2, h, w, c, d);
            d03 = pixel4(x, m, r0, q0 + 3, h, w, c, d);
            d10 = pixel4(x, m, r0 + 1, q0, h, w, c, d);
            d11 = pixel4(x, m, r0 + 1, q0 + 1, h, w, c, d);
            d12 = pixel4(x, m, r0 + 1, q0 + 2, h, w, c, d);
            d13 = pixel4(x, m, r0 + 1, q0 + 3, h, w, c, d);
            d20 = pixel4(x, m, r0 + 2, q0, h, w, c, d);
            d21 = pixel4(x, m, r0 + 2, q0 + 1, h, w, c, d);
            d22 = pixel4(x, m, r0 + 2, q0 + 2, h, w, c, d);
            d23 = pixel4(x, m, r0 + 2, q0 + 3, h, w, c, d);
            d30 = pixel4(x, m, r0 + 3, q0, h, w, c, d);
            d31 = pixel4(x, m, r0 + 3, q0 + 1, h, w, c, d);
            d32 = pixel4(x, m, r0 + 3, q0 + 2, h, w, c, d);
            d33 = pixel4(x, m, r0 + 3, q0 + 3, h, w, c, d);
          }
          // Rows: s_i = (B^T d)[i, :].
          const s00 = f32x4.sub(d00, d20);
          const s01 = f32x4.sub(d01, d21);
          const s02 = f32x4.sub(d02, d22);
          const s03 = f32x4.sub(d03, d23);
          const s10 = f32x4.add(d10, d20);
          const s11 = f32x4.add(d11, d21);
          const s12 = f32x4.add(d12, d22);
          const s13 = f32x4.add(d13, d23);
          const s20 = f32x4.sub(d20, d10);
          const s21 = f32x4.sub(d21, d11);
          const s22 = f32x4.sub(d22, d12);
          const s23 = f32x4.sub(d23, d13);
          const s30 = f32x4.sub(d10, d30);
          const s31 = f32x4.sub(d11, d31);
          const s32 = f32x4.sub(d12, d32);
          const s33 = f32x4.sub(d13, d33);
          const at = (<usize>(t * c + d)) << 2;
          winogradInputRow(table, 0, at, s00, s01, s02, s03);
          winogradInputRow(table, 4, at, s10, s11, s12, s13);
          winogradInputRow(table, 8, at, s20, s21, s22, s23);
          winogradInputRow(table, 12, at, s30, s31, s32, s33);
        }
      }
    }
  }
}

/** V[xi0 + j][at] = (s B)[j] for one row s = (s0, s1, s2, s3) of B^T d. */
function winogradInputRow(
  table: usize,
  xi0: i32,
  at: usize,
  s0: v128,
  s1: v128,
  s2: v128,
  s3: v128,
): void {
  v128.store(tableAt(table, xi0) + at, f32x4.sub(s0, s2));
  v128.store(tableAt(table, xi0 + 1) + at, f32x4.add(s1, s2));
  v128.store(tableAt(table, xi0 + 2) + at, f32x4.sub(s2, s1));
  v128.store(tableAt(table, xi0 + 3) + at, f32x4.sub(s1, s3));
}

/**
 * Output transform: y[m, 2 ty + i, 2 tx + j, o] = (A^T M A)[i, j] with M[xi] = mats[xi][t, o]
 * (cropped to the oh x ow output), plus bias[o] when bias is not 0, then max(0, .) when relu.
 */
export function winogradOutput(
  table: usize,
  oh: i32,
  ow: i32,
  k: i32,
  th: i32,
  tw: i32,
  bias: usize,
  relu: i32,
  y: usize,
  m0: i32,
  m1: i32,
): void {
  const px = (<usize>k) << 2;
  const rowBytes = (<usize>(ow * k)) << 2;
  const zero = f32x4.splat(0);
  for (let m = m0; m < m1; m++) {
    for (let ty = 0; ty < th; ty++) {
      const r = 2 * ty;
      const tall = r + 1 < oh;
      for (let tx = 0; tx < tw; tx++) {
        const q = 2 * tx;
        const wide = q + 1 < ow;
        const t = (m * th + ty) * tw + tx;
        const at = (<usize>(t * k)) << 2;
        const base = y + ((<usize>(((m * oh + r) * ow + q) * k)) << 2);
        for (let o = 0; o < k; o += 4) {
          const ob = (<usize>o) << 2;
          const src = at + ob;
          // Columns j of A^T M: u_j = M[0, j] + M[1, j] + M[2, j], v_j = M[1, j] - M[2, j] - M[3, j].
          const m00 = v128.load(tableAt(table, 0) + src);
          const m01 = v128.load(tableAt(table, 1) + src);
          const m02 = v128.load(tableAt(table, 2) + src);
          const m03 = v128.load(tableAt(table, 3) + src);
          const m10 = v128.load(tableAt(table, 4) + src);
          const m11 = v128.load(tableAt(table, 5) + src);
          const m12 = v128.load(tableAt(table, 6) + src);
          const m13 = v128.load(tableAt(table, 7) + src);
          const m20 = v128.load(tableAt(table, 8) + src);
          const m21 = v128.load(tableAt(table, 9) + src);
          const m22 = v128.load(tableAt(table, 10) + src);
          const m23 = v128.load(tableAt(table, 11) + src);
          const m30 = v128.load(tableAt(table, 12) + src);
          const m31 = v128.load(tableAt(table, 13) + src);
          const m32 = v128.load(tableAt(table, 14) + src);
          const m33 = v128.load(tableAt(table, 15) + src);
          const u0 = f32x4.add(f32x4.add(m00, m10), m20);
          const u1 = f32x4.add(f32x4.add(m01, m11), m21);
          const u2 = f32x4.add(f32x4.add(m02, m12), m22);
          const u3 = f32x4.add(f32x4.add(m03, m13), m23);
          const v0 = f32x4.sub(f32x4.sub(m10, m20), m30);
          const v1 = f32x4.sub(f32x4.sub(m11, m21), m31);
          const v2 = f32x4.sub(f32x4.sub(m12, m22), m32);
          const v3 = f32x4.sub(f32x4.sub(m13, m23), m33);
          let y00 = f32x4.add(f32x4.add(u0, u1), u2);
          let y01 = f32x4.sub(f32x4.sub(u1, u2), u3);
          let y10 = f32x4.add(f32x4.add(v0, v1), v2);
          let y11 = f32x4.sub(f32x4.sub(v1, v2), v3);
          if (bias) {
            const bv = v128.load(bias + ob);
            y00 = f32x4.add(y00, bv);
            y01 = f32x4.add(y01, bv);
            y10 = f32x4.add(y10, bv);
            y11 = f32x4.add(y11, bv);
          }
          if (relu) {
            y00 = f32x4.max(y00, zero);
            y01 = f32x4.max(y01, zero);
            y10 = f32x4.max(y10, zero);
            y11 = f32x4.max(y11, zero);
          }
          const p = base + ob;
          v128.store(p, y00);
          if (wide) v128.store(p + px, y01);
          if (tall) {
            v128.store(p + rowBytes, y10);
            if (wide) v128.store(p + rowBytes + px, y11);
          }
        }
      }
    }
  }
}

/**
 * The output transform's adjoint, for the filter gradient: M[xi][t, o] = (A dY A^T)[i, j] where
 * dY is the tile's 2x2 block of dy [n, oh, ow, k] (0 past the output's edge).
 */
export function winogradOutputAdjoint(
  dy: usize,
  oh: i32,
  ow: i32,
  k: i32,
  th: i32,
  tw: i32,
  table: usize,
  m0: i32,
  m1: i32,
): void {
  const px = (<usize>k) << 2;
  const rowBytes = (<usize>(ow * k)) << 2;
  const zero = f32x4.splat(0);
  for (let m = m0; m < m1; m++) {
    for (let ty = 0; ty < th; ty++) {
      const r = 2 * ty;
      const tall = r + 1 < oh;
      for (let tx = 0; tx < tw; tx++) {
        const q = 2 * tx;
        const wide = q + 1 < ow;
        const t = (m * th + ty) * tw + tx;
        const at = (<usize>(t * k)) << 2;
        const base = dy + ((<usize>(((m * oh + r) * ow + q) * k)) << 2);
        for (let o = 0; o < k; o += 4) {
          const ob = (<usize>o) << 2;
          const p = base + ob;
          const g00 = v128.load(p);
          const g01 = wide ? v128.load(p + px) : zero;
          const g10 = tall ? v128.load(p + rowBytes) : zero;
          const g11 = tall && wide ? v128.load(p + rowBytes + px) : zero;
          // Rows of A dY: (g0, g0 + g1, g0 - g1, -g1) with g0, g1 the rows of dY.
          const s10 = f32x4.add(g00, g10);
          const s11 = f32x4.add(g01, g11);
          const s20 = f32x4.sub(g00, g10);
          const s21 = f32x4.sub(g01, g11);
          const s30 = f32x4.neg(g10);
          const s31 = f32x4.neg(g11);
          const dst = at + ob;
          winogradAdjointRow(table, 0, dst, g00, g01);
          winogradAdjointRow(table, 4, dst, s10, s11);
          winogradAdjointRow(table, 8, dst, s20, s21);
          winogradAdjointRow(table, 12, dst, s30, s31);
        }
      }
    }
  }
}

/** M[xi0 + j][at] = (s A^T)[j] = (s0, s0 + s1, s0 - s1, -s1)[j] for one row s of A dY. */
function winogradAdjointRow(table: usize, xi0: i32, at: usize, s0: v128, s1: v128): void {
  v128.store(tableAt(table, xi0) + at, s0);
  v128.store(tableAt(table, xi0 + 1) + at, f32x4.add(s0, s1));
  v128.store(tableAt(table, xi0 + 2) + at, f32x4.sub(s0, s1));
  v128.store(tableAt(table, xi0 + 3) + at, f32x4.neg(s1));
}

/** Filter transform: U[xi][c, o] = (G g G^T)[i, j] for g = w[:, :, c, o], w [3, 3, ci, co]. */
export function winogradFilter(w: usize, ci: i32, co: i32, table: usize): void {
  const half = f32x4.splat(0.5);
  const tap = (<usize>(ci * co)) << 2;
  for (let c = 0; c < ci; c++) {
    for (let o = 0; o < co; o += 4) {
      const at = (<usize>(c * co + o)) << 2;
      const p = w + at;
      const g00 = v128.load(p);
      const g01 = v128.load(p + tap);
      const g02 = v128.load(p + 2 * tap);
      const g10 = v128.load(p + 3 * tap);
      const g11 = v128.load(p + 4 * tap);
      const g12 = v128.load(p + 5 * tap);
      const g20 = v128.load(p + 6 * tap);
      const g21 = v128.load(p + 7 * tap);
      const g22 = v128.load(p + 8 * tap);
      // Rows of G g: (g0, (g0 + g1 + g2) / 2, (g0 - g1 + g2) / 2, g2), g_a the rows of g.
      const e0 = f32x4.add(g00, g20);
      const e1 = f32x4.add(g01, g21);
      const e2 = f32x4.add(g02, g22);
      const s10 = f32x4.mul(f32x4.add(e0, g10), half);
      const s11 = f32x4.mul(f32x4.add(e1, g11), half);
      const s12 = f32x4.mul(f32x4.add(e2, g12), half);
      const s20 = f32x4.mul(f32x4.sub(e0, g10), half);
      const s21 = f32x4.mul(f32x4.sub(e1, g11), half);
      const s22 = f32x4.mul(f32x4.sub(e2, g12), half);
      winogradFilterRow(table, 0, at, g00, g01, g02, half);
      winogradFilterRow(table, 4, at, s10, s11, s12, half);
      winogradFilterRow(table, 8, at, s20, s21, s22, half);
      winogradFilterRow(table, 12, at, g20, g21, g22, half);
    }
  }
}

/** U[xi0 + j][at] = (s G^T)[j] = (s0, (s0 + s1 + s2) / 2, (s0 - s1 + s2) / 2, s2)[j]. */
function winogradFilterRow(
  table: usize,
  xi0: i32,
  at: usize,
  s0: v128,
  s1: v128,
  s2: v128,
  half: v128,
): void {
  const e = f32x4.add(s0, s2);
  v128.store(tableAt(table, xi0) + at, s0);
  v128.store(tableAt(table, xi0 + 1) + at, f32x4.mul(f32x4.add(e, s1), half));
  v128.store(tableAt(table, xi0 + 2) + at, f32x4.mul(f32x4.sub(e, s1), half));
  v128.store(tableAt(table, xi0 + 3) + at, s2);
}

/**
 * The filter transform's adjoint: dw[a, b, c, o] = (G^T dU G)[a, b] with dU[xi] = table[xi][c, o]
 * (the gradient with respect to U), dw [3, 3, ci, co].
 */
export function winogradFilterAdjoint(table: usize, ci: i32, co: i32, dw: usize): void {
  const half = f32x4.splat(0.5);
  const tap = (<usize>(ci * co)) << 2;
  for (let c = 0; c < ci; c++) {
    for (let o = 0; o < co; o += 4) {
      const at = (<usize>(c * co + o)) << 2;
      // Rows of G^T dU: (u0 + (u1 + u2) / 2, (u1 - u2) / 2, (u1 + u2) / 2 + u3), u_i the rows.
      const u00 = v128.load(tableAt(table, 0) + at);
      const u01 = v128.load(tableAt(table, 1) + at);
      const u02 = v128.load(tableAt(table, 2) + at);
      const u03 = v128.load(tableAt(table, 3) + at);
      const u10 = v128.load(tableAt(table, 4) + at);
      const u11 = v128.load(tableAt(table, 5) + at);
      const u12 = v128.load(tableAt(table, 6) + at);
      const u13 = v128.load(tableAt(table, 7) + at);
      const u20 = v128.load(tableAt(table, 8) + at);
      const u21 = v128.load(tableAt(table, 9) + at);
      const u22 = v128.load(tableAt(table, 10) + at);
      const u23 = v128.load(tableAt(table, 11) + at);
      const u30 = v128.load(tableAt(table, 12) + at);
      const u31 = v128.load(tableAt(table, 13) + at);
      const u32 = v128.load(tableAt(table, 14) + at);
      const u33 = v128.load(tableAt(table, 15) + at);
      const p0 = f32x4.mul(f32x4.add(u10, u20), half);
      const p1 = f32x4.mul(f32x4.add(u11, u21), half);
      const p2 = f32x4.mul(f32x4.add(u12, u22), half);
      const p3 = f32x4.mul(f32x4.add(u13, u23), half);
      const q = dw + at;
      winogradFilterAdjointRow(
        q,
        tap,
        f32x4.add(u00, p0),
        f32x4.add(u01, p1),
        f32x4.add(u02, p2),
        f32x4.add(u03, p3),
        half,
      );
      winogradFilterAdjointRow(
        q + 3 * tap,
        tap,
        f32x4.mul(f32x4.sub(u10, u20), half),
        f32x4.mul(f32x4.sub(u11, u21), half),
        f32x4.mul(f32x4.sub(u12, u22), half),
        f32x4.mul(f32x4.sub(u13, u23), half),
        half,
      );
      winogradFilterAdjointRow(
        q + 6 * tap,
        tap,
        f32x4.add(p0, u30),
        f32x4.add(p1, u31),
        f32x4.add(p2, u32),
        f32x4.add(p3, u33),
        half,
      );
    }
  }
}

/** dw[row, b] = (s G)[b] = (s0 + (s1 + s2) / 2, (s1 - s2) / 2, (s1 + s2) / 2 + s3)[b]. */
function winogradFilterAdjointRow(
  at: usize,
  tap: usize,
  s0: v128,
  s1: v128,
  s2: v128,
  s3: v128,
  half: v128,
): void {
  const p = f32x4.mul(f32x4.add(s1, s2), half);
  v128.store(at, f32x4.add(s0, p));
  v128.store(at + tap, f32x4.mul(f32x4.sub(s1, s2), half));
  v128.store(at + 2 * tap, f32x4.add(p, s3));
}
