/**
 * The compression report of a pruned network: per prunable layer and in total, the work of a
 * forward pass, storage, and how much the last prune changed the weights.
 *
 * - FLOPs (one image, kernels only, a multiply-add = 2 FLOPs): dense conv 2*kh*kw*cin*cout*oh*ow,
 *   dense layer 2*in*out; with zeros skipped, times the layer's density alive/size.
 *   Theoretical speed-up = dense FLOPs / sparse FLOPs.
 * - Storage (float32 weights): dense 4*size bytes; bitmask ceil(size/8) + 4*alive bytes;
 *   CSR over the kernel seen as a matrix of (size/cols) rows and cols = output channels:
 *   4*alive values + 4*alive column indices + 4*(rows+1) row pointers.
 * - Relative norm drop of a prune: ||w_before - w_after||_2 / ||w_before||_2.
 * - Pruning instability: (acc_before_prune - acc_after_prune) / acc_before_prune.
 */

export interface LayerGeometry {
  name: string;
  /** Kernel shape: [kh, kw, cin, cout] or [in, out]. */
  shape: number[];
  /** Output height and width of a conv layer (1 x 1 for a dense layer). */
  outputSize: [number, number];
}

export interface LayerReport {
  name: string;
  size: number;
  alive: number;
  flopsDense: number;
  flopsSparse: number;
  storageDenseBytes: number;
  storageBitmaskBytes: number;
  storageCsrBytes: number;
  /** Relative L2 norm drop caused by the last prune (0 when it pruned nothing here). */
  normDrop: number;
}

/** Dense forward FLOPs of one layer for one image. */
export function denseFlops(layer: LayerGeometry): number {
  const size = layer.shape.reduce((a, b) => a * b, 1);
  const [oh, ow] = layer.outputSize;
  return 2 * size * oh * ow;
}

/** Storage sizes in bytes of a kernel with `alive` non-zeros. */
export function storageBytes(shape: number[], alive: number) {
  const size = shape.reduce((a, b) => a * b, 1);
  const cols = shape[shape.length - 1]!;
  const rows = size / cols;
  return {
    dense: 4 * size,
    bitmask: Math.ceil(size / 8) + 4 * alive,
    csr: 8 * alive + 4 * (rows + 1),
  };
}

/** ||before - after|| / ||before|| over one or more weight arrays. */
export function relativeNormDrop(
  before: readonly Float32Array[],
  after: readonly Float32Array[],
): number {
  let dropped = 0;
  let total = 0;
  before.forEach((w, l) => {
    const a = after[l]!;
    for (let i = 0; i < w.length; i++) {
      total += w[i]! * w[i]!;
      const d = w[i]! - a[i]!;
      dropped += d * d;
    }
  });
  return total > 0 ? Math.sqrt(dropped / total) : 0;
}

/** (accBefore - accAfter) / accBefore; 0 when accBefore is 0. */
export function pruningInstability(accBefore: number, accAfter: number): number {
  return accBefore > 0 ? (accBefore - accAfter) / accBefore : 0;
}

/** Per-layer report rows for the current masks and the weights before/after the last prune. */
export function layerReports(
  layers: readonly LayerGeometry[],
  masks: readonly Uint8Array[],
  before: readonly Float32Array[],
  after: readonly Float32Array[],
): LayerReport[] {
  return layers.map((layer, l) => {
    const mask = masks[l]!;
    let alive = 0;
    for (let i = 0; i < mask.length; i++) alive += mask[i]!;
    const size = mask.length;
    const flopsDense = denseFlops(layer);
    const storage = storageBytes(layer.shape, alive);
    return {
      name: layer.name,
      size,
      alive,
      flopsDense,
      flopsSparse: (flopsDense * alive) / size,
      storageDenseBytes: storage.dense,
      storageBitmaskBytes: storage.bitmask,
      storageCsrBytes: storage.csr,
      normDrop: relativeNormDrop([before[l]!], [after[l]!]),
    };
  });
}
