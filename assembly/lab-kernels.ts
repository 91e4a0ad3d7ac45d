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

// Winograd F(4x4, 3x3) (Lavin & Gray 2016) for 3x3 convolutions at stride 1: each 4x4 block of
// outputs ("tile") is Y = A^T [(G g G^T) . (B^T d B)] A over its 6x6 input patch d, so a layer
// is 36 GEMMs ([tiles, ci] x [ci, co], one per point xi = 6 i + j of the 6x6 transform) between
// these transforms, 4x fewer multiplies than the direct convolution. With
//   B^T = [4 0 -5 0 1 0; 0 -4 -4 1 1 0; 0 4 -4 -1 1 0; 0 -2 -1 2 1 0; 0 2 -1 -2 1 0;
//          0 4 0 -5 0 1],
//   G = [1/4 0 0; -1/6 -1/6 -1/6; -1/6 1/6 -1/6; 1/24 1/12 1/6; 1/24 -1/12 1/6; 0 0 1],
//   A^T = [1 1 1 1 1 0; 0 1 -1 2 -2 0; 0 1 1 4 4 0; 0 1 -1 8 -8 1].
// Tile t = (m * th + ty) * tw + tx covers outputs (4 ty .. 4 ty + 3, 4 tx .. 4 tx + 3) of image
// m. The 36 matrices of a transform live in separate tensors: `table` is the byte offset of 36
// i32 byte offsets, one per xi. Each 2-D transform is two passes of a 1-D one, rows then
// columns, the first pass's results kept in the matrices themselves. Channel counts are
// multiples of 4. The transforms of the data do images [m0, m1) of the batch (threads split a
// batch by images).

function tableAt(table: usize, xi: i32): usize {
  return <usize>load<i32>(table + ((<usize>xi) << 2));
}

/** q_k[off] = (B^T d)[k] for k = 0..5. */
function inputTransform6(
  q0: usize,
  q1: usize,
  q2: usize,
  q3: usize,
  q4: usize,
  q5: usize,
  off: usize,
  d0: v128,
  d1: v128,
  d2: v128,
  d3: v128,
  d4: v128,
  d5: v128,
): void {
  const four = f32x4.splat(4);
  const a = f32x4.sub(d4, f32x4.mul(four, d2));
  const b = f32x4.sub(d3, f32x4.mul(four, d1));
  const e = f32x4.sub(d4, d2);
  const f = f32x4.add(f32x4.sub(d3, d1), f32x4.sub(d3, d1));
  v128.store(q0 + off, f32x4.add(f32x4.sub(a, d2), f32x4.mul(four, d0)));
  v128.store(q1 + off, f32x4.add(a, b));
  v128.store(q2 + off, f32x4.sub(a, b));
  v128.store(q3 + off, f32x4.add(e, f));
  v128.store(q4 + off, f32x4.sub(e, f));
  v128.store(q5 + off, f32x4.sub(f32x4.sub(d5, b), f32x4.mul(four, d3)));
}

/**
 * Input transform: V[xi][t, d] = (B^T p B)[i, j] for the patch p = xpad[m, 4 ty + a, 4 tx + b,
 * d] (a, b in 0..5) of the padded input xpad [n, hp, wp, c] (hp >= 4 th + 2, wp >= 4 tw + 2).
 */
export function winogradInput(
  xpad: usize,
  hp: i32,
  wp: i32,
  c: i32,
  th: i32,
  tw: i32,
  table: usize,
  m0: i32,
  m1: i32,
): void {
  const px = (<usize>c) << 2;
  const rowBytes = (<usize>(wp * c)) << 2;
  const bytes = (<usize>c) << 2;
  for (let m = m0; m < m1; m++) {
    for (let ty = 0; ty < th; ty++) {
      for (let tx = 0; tx < tw; tx++) {
        const at = (<usize>(((m * th + ty) * tw + tx) * c)) << 2;
        const patch = xpad + ((<usize>(((m * hp + 4 * ty) * wp + 4 * tx) * c)) << 2);
        // Rows: (p B)[r, j] into xi = 6 r + j.
        for (let r = 0; r < 6; r++) {
          const x0 = 6 * r;
          const src = patch + <usize>r * rowBytes;
          const q0 = tableAt(table, x0) + at;
          const q1 = tableAt(table, x0 + 1) + at;
          const q2 = tableAt(table, x0 + 2) + at;
          const q3 = tableAt(table, x0 + 3) + at;
          const q4 = tableAt(table, x0 + 4) + at;
          const q5 = tableAt(table, x0 + 5) + at;
          for (let d: usize = 0; d < bytes; d += 16) {
            const s = src + d;
            inputTransform6(
              q0,
              q1,
              q2,
              q3,
              q4,
              q5,
              d,
              v128.load(s),
              v128.load(s + px),
              v128.load(s + 2 * px),
              v128.load(s + 3 * px),
              v128.load(s + 4 * px),
              v128.load(s + 5 * px),
            );
          }
        }
        // Columns, in place: (B^T (p B))[i, j].
        for (let j = 0; j < 6; j++) {
          const q0 = tableAt(table, j) + at;
          const q1 = tableAt(table, 6 + j) + at;
          const q2 = tableAt(table, 12 + j) + at;
          const q3 = tableAt(table, 18 + j) + at;
          const q4 = tableAt(table, 24 + j) + at;
          const q5 = tableAt(table, 30 + j) + at;
          for (let d: usize = 0; d < bytes; d += 16) {
            inputTransform6(
              q0,
              q1,
              q2,
              q3,
              q4,
              q5,
              d,
              v128.load(q0 + d),
              v128.load(q1 + d),
              v128.load(q2 + d),
              v128.load(q3 + d),
              v128.load(q4 + d),
              v128.load(q5 + d),
            );
          }
        }
      }
    }
  }
}

/**
 * q_k[off] = (A^T v)[k] for k = 0..3, plus bias[off] when bias is not 0, then max(0, .) when
 * relu.
 */
function outputTransform6(
  q0: usize,
  q1: usize,
  q2: usize,
  q3: usize,
  off: usize,
  v0: v128,
  v1: v128,
  v2: v128,
  v3: v128,
  v4: v128,
  v5: v128,
  bias: usize,
  relu: bool,
): void {
  const s12 = f32x4.add(v1, v2);
  const d12 = f32x4.sub(v1, v2);
  const s34 = f32x4.add(v3, v4);
  const d34 = f32x4.sub(v3, v4);
  const d34x2 = f32x4.add(d34, d34);
  let y0 = f32x4.add(f32x4.add(v0, s12), s34);
  let y1 = f32x4.add(d12, d34x2);
  let y2 = f32x4.add(s12, f32x4.mul(f32x4.splat(4), s34));
  let y3 = f32x4.add(f32x4.add(d12, f32x4.mul(f32x4.splat(4), d34x2)), v5);
  if (bias) {
    const bv = v128.load(bias + off);
    y0 = f32x4.add(y0, bv);
    y1 = f32x4.add(y1, bv);
    y2 = f32x4.add(y2, bv);
    y3 = f32x4.add(y3, bv);
  }
  if (relu) {
    const zero = f32x4.splat(0);
    y0 = f32x4.max(y0, zero);
    y1 = f32x4.max(y1, zero);
    y2 = f32x4.max(y2, zero);
    y3 = f32x4.max(y3, zero);
  }
  v128.store(q0 + off, y0);
  v128.store(q1 + off, y1);
  v128.store(q2 + off, y2);
  v128.store(q3 + off, y3);
}

/**
 * Output transform: y[m, 4 ty + a, 4 tx + b, o] = (A^T M A)[a, b] with M[xi] = mats[xi][t, o]
 * (cropped to the oh x ow output), plus bias[o] when bias is not 0, then max(0, .) when relu.
 * The matrices are overwritten.
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
  const rowBytes = (<usize>(ow * k)) << 2;
  const bytes = (<usize>k) << 2;
  for (let m = m0; m < m1; m++) {
    for (let ty = 0; ty < th; ty++) {
      for (let tx = 0; tx < tw; tx++) {
        const at = (<usize>(((m * th + ty) * tw + tx) * k)) << 2;
        // Rows, in place: (M A)[i, b] into xi = 6 i + b, b < 4.
        for (let i = 0; i < 6; i++) {
          const q0 = tableAt(table, 6 * i) + at;
          const q1 = tableAt(table, 6 * i + 1) + at;
          const q2 = tableAt(table, 6 * i + 2) + at;
          const q3 = tableAt(table, 6 * i + 3) + at;
          const q4 = tableAt(table, 6 * i + 4) + at;
          const q5 = tableAt(table, 6 * i + 5) + at;
          for (let d: usize = 0; d < bytes; d += 16) {
            outputTransform6(
              q0,
              q1,
              q2,
              q3,
              d,
              v128.load(q0 + d),
              v128.load(q1 + d),
              v128.load(q2 + d),
              v128.load(q3 + d),
              v128.load(q4 + d),
              v128.load(q5 + d),
              0,
              false,
            );
          }
        }
        // Columns b into y; a row past the output's edge goes to its own (spent) matrix slot.
        for (let b = 0; b < 4 && 4 * tx + b < ow; b++) {
          const q0 = tableAt(table, b) + at;
          const q1 = tableAt(table, 6 + b) + at;
          const q2 = tableAt(table, 12 + b) + at;
          const q3 = tableAt(table, 18 + b) + at;
          const q4 = tableAt(table, 24 + b) + at;
          const q5 = tableAt(table, 30 + b) + at;
          const r = 4 * ty;
          const out = y + ((<usize>(((m * oh + r) * ow + 4 * tx + b) * k)) << 2);
          const y1 = r + 1 < oh ? out + rowBytes : q1;
          const y2 = r + 2 < oh ? out + 2 * rowBytes : q2;
          const y3 = r + 3 < oh ? out + 3 * rowBytes : q3;
          for (let d: usize = 0; d < bytes; d += 16) {
            outputTransform6(
              out,
              y1,
              y2,
              y3,
              d,
              v128.load(q0 + d),
              v128.load(q1 + d),
              v128.load(q2 + d),
              v128.load(q3 + d),
              v128.load(q4 + d),
              v128.load(q5 + d),
              bias,
              relu != 0,
            );
          }
        }
      }
    }
  }
}

/** q_k[off] = (A g)[k] for k = 0..5 (A = (A^T)^T, 6 x 4). */
function outputAdjoint6(
  q0: usize,
  q1: usize,
  q2: usize,
  q3: usize,
  q4: usize,
  q5: usize,
  off: usize,
  g0: v128,
  g1: v128,
  g2: v128,
  g3: v128,
): void {
  const e = f32x4.add(g0, g2);
  const o = f32x4.add(g1, g3);
  const e4 = f32x4.add(g0, f32x4.mul(f32x4.splat(4), g2));
  const o4 = f32x4.mul(f32x4.splat(2), f32x4.add(g1, f32x4.mul(f32x4.splat(4), g3)));
  v128.store(q0 + off, g0);
  v128.store(q1 + off, f32x4.add(e, o));
  v128.store(q2 + off, f32x4.sub(e, o));
  v128.store(q3 + off, f32x4.add(e4, o4));
  v128.store(q4 + off, f32x4.sub(e4, o4));
  v128.store(q5 + off, g3);
}

/**
 * The output transform's adjoint, for the filter gradient: M[xi][t, o] = (A dY A^T)[i, j] where
 * dY is the tile's 4x4 block of dy [n, oh, ow, k] (0 past the output's edge).
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
  const bytes = (<usize>k) << 2;
  const zero = f32x4.splat(0);
  for (let m = m0; m < m1; m++) {
    for (let ty = 0; ty < th; ty++) {
      for (let tx = 0; tx < tw; tx++) {
        const at = (<usize>(((m * th + ty) * tw + tx) * k)) << 2;
        const q = 4 * tx;
        const w1 = q + 1 < ow;
        const w2 = q + 2 < ow;
        const w3 = q + 3 < ow;
        // Rows a of dY: (dY A^T)[a, j] into xi = 6 a + j, a < 4.
        for (let a = 0; a < 4; a++) {
          const q0 = tableAt(table, 6 * a) + at;
          const q1 = tableAt(table, 6 * a + 1) + at;
          const q2 = tableAt(table, 6 * a + 2) + at;
          const q3 = tableAt(table, 6 * a + 3) + at;
          const q4 = tableAt(table, 6 * a + 4) + at;
          const q5 = tableAt(table, 6 * a + 5) + at;
          const r = 4 * ty + a;
          if (r >= oh) {
            for (let d: usize = 0; d < bytes; d += 16) {
              outputAdjoint6(q0, q1, q2, q3, q4, q5, d, zero, zero, zero, zero);
            }
            continue;
          }
          const src = dy + ((<usize>(((m * oh + r) * ow + q) * k)) << 2);
          for (let d: usize = 0; d < bytes; d += 16) {
            const s = src + d;
            outputAdjoint6(
              q0,
              q1,
              q2,
              q3,
              q4,
              q5,
              d,
              v128.load(s),
              w1 ? v128.load(s + px) : zero,
              w2 ? v128.load(s + 2 * px) : zero,
              w3 ? v128.load(s + 3 * px) : zero,
            );
          }
        }
        // Columns, in place: (A (dY A^T))[i, j].
        for (let j = 0; j < 6; j++) {
          const q0 = tableAt(table, j) + at;
          const q1 = tableAt(table, 6 + j) + at;
          const q2 = tableAt(table, 12 + j) + at;
          const q3 = tableAt(table, 18 + j) + at;
          const q4 = tableAt(table, 24 + j) + at;
          const q5 = tableAt(table, 30 + j) + at;
          for (let d: usize = 0; d < bytes; d += 16) {
            outputAdjoint6(
              q0,
              q1,
              q2,
              q3,
              q4,
              q5,
              d,
              v128.load(q0 + d),
              v128.load(q1 + d),
              v128.load(q2 + d),
              v128.load(q3 + d),
            );
          }
        }
      }
    }
  }
}

/** q_k[off] = (G g)[k] for k = 0..5. */
function filterTransform6(
  q0: usize,
  q1: usize,
  q2: usize,
  q3: usize,
  q4: usize,
  q5: usize,
  off: usize,
  g0: v128,
  g1: v128,
  g2: v128,
): void {
  const e = f32x4.add(g0, g2);
  const e4 = f32x4.add(f32x4.mul(f32x4.splat(0.25), g0), g2);
  const h = f32x4.mul(f32x4.splat(0.5), g1);
  const sixth = f32x4.splat(<f32>1 / 6);
  v128.store(q0 + off, f32x4.mul(f32x4.splat(0.25), g0));
  v128.store(q1 + off, f32x4.mul(f32x4.neg(sixth), f32x4.add(e, g1)));
  v128.store(q2 + off, f32x4.mul(f32x4.neg(sixth), f32x4.sub(e, g1)));
  v128.store(q3 + off, f32x4.mul(sixth, f32x4.add(e4, h)));
  v128.store(q4 + off, f32x4.mul(sixth, f32x4.sub(e4, h)));
  v128.store(q5 + off, g2);
}

/** Filter transform: U[xi][c, o] = (G g G^T)[i, j] for g = w[:, :, c, o], w [3, 3, ci, co]. */
export function winogradFilter(w: usize, ci: i32, co: i32, table: usize): void {
  const tap = (<usize>(ci * co)) << 2;
  const bytes = (<usize>(ci * co)) << 2;
  // Rows: (g G^T)[a, j] into xi = 6 a + j, a < 3.
  for (let a = 0; a < 3; a++) {
    const q0 = tableAt(table, 6 * a);
    const q1 = tableAt(table, 6 * a + 1);
    const q2 = tableAt(table, 6 * a + 2);
    const q3 = tableAt(table, 6 * a + 3);
    const q4 = tableAt(table, 6 * a + 4);
    const q5 = tableAt(table, 6 * a + 5);
    const src = w + 3 * <usize>a * tap;
    for (let d: usize = 0; d < bytes; d += 16) {
      const s = src + d;
      filterTransform6(
        q0,
        q1,
        q2,
        q3,
        q4,
        q5,
        d,
        v128.load(s),
        v128.load(s + tap),
        v128.load(s + 2 * tap),
      );
    }
  }
  // Columns: (G (g G^T))[i, j].
  for (let j = 0; j < 6; j++) {
    const q0 = tableAt(table, j);
    const q1 = tableAt(table, 6 + j);
    const q2 = tableAt(table, 12 + j);
    const q3 = tableAt(table, 18 + j);
    const q4 = tableAt(table, 24 + j);
    const q5 = tableAt(table, 30 + j);
    for (let d: usize = 0; d < bytes; d += 16) {
      filterTransform6(
        q0,
        q1,
        q2,
        q3,
        q4,
        q5,
        d,
        v128.load(q0 + d),
        v128.load(q1 + d),
        v128.load(q2 + d),
      );
    }
  }
}

/** q_k[off] = (G^T u)[k] for k = 0..2. */
function filterAdjoint6(
  q0: usize,
  q1: usize,
  q2: usize,
  off: usize,
  u0: v128,
  u1: v128,
  u2: v128,
  u3: v128,
  u4: v128,
  u5: v128,
): void {
  const sixth = f32x4.splat(<f32>1 / 6);
  const s12 = f32x4.add(u1, u2);
  const d12 = f32x4.sub(u2, u1);
  const s34 = f32x4.add(u3, u4);
  const d34 = f32x4.sub(u3, u4);
  // G^T = [1/4 -1/6 -1/6 1/24 1/24 0; 0 -1/6 1/6 1/12 -1/12 0; 0 -1/6 -1/6 1/6 1/6 1].
  v128.store(
    q0 + off,
    f32x4.add(
      f32x4.mul(f32x4.splat(0.25), u0),
      f32x4.mul(sixth, f32x4.sub(f32x4.mul(f32x4.splat(0.25), s34), s12)),
    ),
  );
  v128.store(q1 + off, f32x4.mul(sixth, f32x4.add(d12, f32x4.mul(f32x4.splat(0.5), d34))));
  v128.store(q2 + off, f32x4.add(f32x4.mul(sixth, f32x4.sub(s34, s12)), u5));
}

/**
 * The filter transform's adjoint: dw[a, b, c, o] = (G^T dU G)[a, b] with dU[xi] = table[xi][c, o]
 * (the gradient with respect to U), dw [3, 3, ci, co]. The matrices are overwritten.
 */
export function winogradFilterAdjoint(table: usize, ci: i32, co: i32, dw: usize): void {
  const tap = (<usize>(ci * co)) << 2;
  const bytes = (<usize>(ci * co)) << 2;
  // Rows, in place: (dU G)[i, b] into xi = 6 i + b, b < 3.
  for (let i = 0; i < 6; i++) {
    const q0 = tableAt(table, 6 * i);
    const q1 = tableAt(table, 6 * i + 1);
    const q2 = tableAt(table, 6 * i + 2);
    const q3 = tableAt(table, 6 * i + 3);
    const q4 = tableAt(table, 6 * i + 4);
    const q5 = tableAt(table, 6 * i + 5);
    for (let d: usize = 0; d < bytes; d += 16) {
      filterAdjoint6(
        q0,
        q1,
        q2,
        d,
        v128.load(q0 + d),
        v128.load(q1 + d),
        v128.load(q2 + d),
        v128.load(q3 + d),
        v128.load(q4 + d),
        v128.load(q5 + d),
      );
    }
  }
  // Columns b into dw: (G^T (dU G))[a, b].
  for (let b = 0; b < 3; b++) {
    const q0 = tableAt(table, b);
    const q1 = tableAt(table, 6 + b);
    const q2 = tableAt(table, 12 + b);
    const q3 = tableAt(table, 18 + b);
    const q4 = tableAt(table, 24 + b);
    const q5 = tableAt(table, 30 + b);
    const out = dw + <usize>b * tap;
    for (let d: usize = 0; d < bytes; d += 16) {
      filterAdjoint6(
        out,
        out + 3 * tap,
        out + 6 * tap,
        d,
        v128.load(q0 + d),
        v128.load(q1 + d),
        v128.load(q2 + d),
        v128.load(q3 + d),
        v128.load(q4 + d),
        v128.load(q5 + d),
      );
    }
  }
}

/** The four lanes of v to out, out + stride, out + 2 stride, out + 3 stride. */
function storeLanes(out: usize, stride: usize, v: v128): void {
  store<f32>(out, f32x4.extract_lane(v, 0));
  store<f32>(out + stride, f32x4.extract_lane(v, 1));
  store<f32>(out + 2 * stride, f32x4.extract_lane(v, 2));
  store<f32>(out + 3 * stride, f32x4.extract_lane(v, 3));
}

/** a + bias[k] (when bias is not 0), then max(0, .) when relu. */
function biasRelu(a: v128, bias: usize, k: usize, relu: bool): v128 {
  let r = a;
  if (bias != 0) r = f32x4.add(r, v128.load32_splat(bias + k));
  if (relu) r = f32x4.max(r, f32x4.splat(0));
  return r;
}

/**
 * Four neighbouring outputs of one row for `count` (1-8) output channels of convForwardC1:
 * x is the padded input at the group's top-left, w the filter at its first channel. One
 * accumulator per channel; below 5 channels the spare accumulators repeat the last channel
 * (their weight offsets are clamped, so nothing past the filter is read) and are not stored.
 */
function c1Group(
  x: usize,
  w: usize,
  wTap: usize,
  rowBytes: usize,
  kh: i32,
  kw: i32,
  count: i32,
  bias: usize,
  relu: bool,
  out: usize,
  pixel: usize,
): void {
  const k1 = (<usize>(count > 1 ? 1 : 0)) << 2;
  const k2 = (<usize>(count > 2 ? 2 : count - 1)) << 2;
  const k3 = (<usize>(count > 3 ? 3 : count - 1)) << 2;
  const k5: usize = count > 5 ? 20 : 16;
  const k7: usize = count > 7 ? 28 : 24;
  let a0 = f32x4.splat(0);
  let a1 = a0;
  let a2 = a0;
  let a3 = a0;
  let a4 = a0;
  let a5 = a0;
  let a6 = a0;
  let a7 = a0;
  let wp = w;
  let xr = x;
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      const xv = v128.load(xr + ((<usize>b) << 2));
      a0 = f32x4.add(a0, f32x4.mul(xv, v128.load32_splat(wp)));
      a1 = f32x4.add(a1, f32x4.mul(xv, v128.load32_splat(wp + k1)));
      a2 = f32x4.add(a2, f32x4.mul(xv, v128.load32_splat(wp + k2)));
      a3 = f32x4.add(a3, f32x4.mul(xv, v128.load32_splat(wp + k3)));
      if (count > 4) {
        a4 = f32x4.add(a4, f32x4.mul(xv, v128.load32_splat(wp + 16)));
        a5 = f32x4.add(a5, f32x4.mul(xv, v128.load32_splat(wp + k5)));
      }
      if (count > 6) {
        a6 = f32x4.add(a6, f32x4.mul(xv, v128.load32_splat(wp + 24)));
        a7 = f32x4.add(a7, f32x4.mul(xv, v128.load32_splat(wp + k7)));
      }
      wp += wTap;
    }
    xr += rowBytes;
  }
  storeLanes(out, pixel, biasRelu(a0, bias, 0, relu));
  if (count > 1) storeLanes(out + 4, pixel, biasRelu(a1, bias, 4, relu));
  if (count > 2) storeLanes(out + 8, pixel, biasRelu(a2, bias, 8, relu));
  if (count > 3) storeLanes(out + 12, pixel, biasRelu(a3, bias, 12, relu));
  if (count > 4) storeLanes(out + 16, pixel, biasRelu(a4, bias, 16, relu));
  if (count > 5) storeLanes(out + 20, pixel, biasRelu(a5, bias, 20, relu));
  if (count > 6) storeLanes(out + 24, pixel, biasRelu(a6, bias, 24, relu));
  if (count > 7) storeLanes(out + 28, pixel, biasRelu(a7, bias, 28, relu));
}

/**
 * Convolution of one-channel images at stride 1 (a first layer on grey images) from the
 * zero-padded input: y[m, i, j, o] = sum over (a, b) of xpad[m, i + a, j + b] w[a, b, o], plus
 * bias[o] when bias is not 0, then max(0, .) when relu; xpad [n, ph, pw], w [kh, kw, 1, co],
 * y [n, outH, outW, co], outW >= 4. Four neighbouring outputs of a row are one vector (a padded
 * row is contiguous) and each output channel one accumulator, 8 channels at a time; the last
 * group of a row overlaps the one before when outW is not a multiple of 4 (and writes the same
 * values again). XNNPACK's convolution ran LeNet-5's first layer at 14 GFLOP/s.
 */
export function convForwardC1(
  xpad: usize,
  w: usize,
  bias: usize,
  relu: i32,
  y: usize,
  n: i32,
  ph: i32,
  pw: i32,
  outH: i32,
  outW: i32,
  kh: i32,
  kw: i32,
  co: i32,
): void {
  const pixel = (<usize>co) << 2;
  const rowBytes = (<usize>pw) << 2;
  for (let m = 0; m < n; m++) {
    for (let i = 0; i < outH; i++) {
      const row = xpad + <usize>(m * ph + i) * rowBytes;
      const out = y + <usize>((m * outH + i) * outW) * pixel;
      for (let j0 = 0; j0 < outW; j0 += 4) {
        const j = j0 + 4 <= outW ? j0 : outW - 4;
        for (let o0 = 0; o0 < co; o0 += 8) {
          const at = (<usize>o0) << 2;
          c1Group(
            row + ((<usize>j) << 2),
            w + at,
            pixel,
            rowBytes,
            kh,
            kw,
            co - o0 < 8 ? co - o0 : 8,
            bias != 0 ? bias + at : 0,
            relu != 0,
            out + <usize>j * pixel + at,
            pixel,
          );
        }
      }
    }
  }
}

/**
 * The gradient through a ReLU from its output: g = dy where y > 0, else 0 (tfjs's
 * dy * step(x), x > 0 exactly where y = max(0, x) > 0), for len values.
 */
export function reluGrad(dy: usize, y: usize, g: usize, len: i32): void {
  const zero = f32x4.splat(0);
  const vec = (<usize>(len >> 2)) << 4;
  for (let k: usize = 0; k < vec; k += 16) {
    v128.store(g + k, v128.and(v128.load(dy + k), f32x4.gt(v128.load(y + k), zero)));
  }
  for (let k = vec; k < (<usize>len) << 2; k += 4) {
    store<f32>(g + k, load<f32>(y + k) > 0 ? load<f32>(dy + k) : 0);
  }
}
