/**
 * A model plus one 0/1 mask per prunable kernel (every conv and dense kernel; biases never).
 * Invariant: a pruned weight is exactly 0 and stays 0 — the optimizer masks its gradient and
 * the mask is re-applied after every step.
 */
import * as tf from '@tensorflow/tfjs';
import type { LayerStats } from '../schema/results';
import { countAlive } from '../core/prune-math';

export interface PrunableKernel {
  /** Layer name, e.g. 'conv1', 'fc2'. */
  name: string;
  /** Output height and width of the layer (1 x 1 for a dense layer), for FLOP counts. */
  outputSize: [number, number];
  variable: tf.Variable;
  shape: number[];
  size: number;
}

export class PrunableNet {
  readonly kernels: PrunableKernel[];
  /** Every trainable variable (kernels and biases), in layer order. */
  readonly params: tf.Variable[];
  /** Host copy of each kernel's mask (1 = alive). */
  private hostMasks: Uint8Array[];
  /** Device copy of each kernel's mask as float32 0/1, or null while the kernel is dense. */
  private deviceMasks: (tf.Tensor | null)[];

  constructor(readonly model: tf.LayersModel) {
    this.params = model.trainableWeights.map((w) => w.read() as tf.Variable);
    this.kernels = [];
    for (const layer of model.layers) {
      const kernel = layer.trainableWeights.find((w) => w.originalName.endsWith('/kernel'));
      if (!kernel) continue;
      const shape = kernel.shape as number[];
      const out = layer.outputShape as (number | null)[];
      this.kernels.push({
        name: layer.name,
        outputSize: out.length === 4 ? [out[1]!, out[2]!] : [1, 1],
        variable: kernel.read() as tf.Variable,
        shape,
        size: shape.reduce((a, b) => a * b, 1),
      });
    }
    this.hostMasks = this.kernels.map((k) => new Uint8Array(k.size).fill(1));
    this.deviceMasks = this.kernels.map(() => null);
  }

  /** The device mask for `variable`, or null when it is not a pruned kernel. */
  maskFor(variable: tf.Variable): tf.Tensor | null {
    const index = this.kernels.findIndex((k) => k.variable === variable);
    return index < 0 ? null : this.deviceMasks[index]!;
  }

  get masks(): readonly Uint8Array[] {
    return this.hostMasks;
  }

  /** Reads every kernel's current values to the host. */
  async kernelValues(): Promise<Float32Array[]> {
    return Promise.all(this.kernels.map(async (k) => (await k.variable.data()) as Float32Array));
  }

  /** Installs new masks and zeroes the pruned weights (w <- w * m). */
  setMasks(masks: readonly Uint8Array[]): void {
    if (masks.length !== this.kernels.length) throw new Error('one mask per prunable kernel');
    this.hostMasks = masks.map((m) => m.slice());
    this.kernels.forEach((kernel, i) => {
      const mask = masks[i]!;
      if (mask.length !== kernel.size) throw new Error(`mask for ${kernel.name} has wrong size`);
      this.deviceMasks[i]?.dispose();
      this.deviceMasks[i] = tf.tensor(Float32Array.from(mask), kernel.shape);
    });
    this.applyMasks();
  }

  /** w <- w * m for every pruned kernel. */
  private applyMasks(): void {
    this.kernels.forEach((kernel, i) => {
      const device = this.deviceMasks[i];
      if (device) tf.tidy(() => kernel.variable.assign(tf.mul(kernel.variable, device)));
    });
  }

  /** Host copies of every model weight (kernels, biases, BN scales and running statistics). */
  async snapshot(): Promise<Float32Array[]> {
    return Promise.all(
      this.model.weights.map(async (w) => (await w.read().data()) as Float32Array),
    );
  }

  /** Restores a snapshot, then zeroes the pruned weights again: w <- saved * m. */
  restore(values: readonly Float32Array[]): void {
    if (values.length !== this.model.weights.length) throw new Error('snapshot does not fit');
    this.model.weights.forEach((w, i) => {
      const saved = tf.tensor(values[i]!, w.shape as number[]);
      (w.read() as tf.Variable).assign(saved);
      saved.dispose();
    });
    this.applyMasks();
  }

  /** Per-layer size, alive count and sparsity. */
  layerStats(): LayerStats[] {
    return this.kernels.map((kernel, i) => {
      const alive = countAlive(this.hostMasks[i]!);
      return {
        name: kernel.name,
        shape: kernel.shape,
        size: kernel.size,
        alive,
        sparsity: 1 - alive / kernel.size,
      };
    });
  }

  /** Global sparsity over all prunable weights: 1 - alive / size. */
  sparsity(): number {
    const stats = this.layerStats();
    const size = stats.reduce((a, s) => a + s.size, 0);
    const alive = stats.reduce((a, s) => a + s.alive, 0);
    return size === 0 ? 0 : 1 - alive / size;
  }

  /**
   * ‖θ‖²: the squared L2 norm of every trainable weight and bias, batch norm's γ and β included
   * (not its running statistics), as BIMP's get_model_norm_square counts it.
   */
  async squaredNorm(): Promise<number> {
    const values = await Promise.all(this.params.map((p) => p.data() as Promise<Float32Array>));
    let sum = 0;
    for (const v of values) for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
    return sum;
  }

  get totalParams(): number {
    return this.params.reduce((a, p) => a + p.size, 0);
  }

  get prunableParams(): number {
    return this.kernels.reduce((a, k) => a + k.size, 0);
  }

  dispose(): void {
    this.deviceMasks.forEach((m) => m?.dispose());
    this.model.dispose();
  }
}
