/**
 * SGD with momentum and weight decay, PyTorch semantics, honouring pruning masks:
 *   g  = (dL/dw + wd * w) * m
 *   v <- mu * v + g
 *   w <- (w - lr * (nesterov ? g + mu * v : v)) * m
 * Nesterov is used when weight decay > 0. Masking both g and w keeps pruned weights at exactly 0
 * whatever the momentum buffer holds. On the WASM and CPU backends one fused kernel does the
 * whole update of a tensor (kernels/sgd-step.ts); elsewhere it is a handful of tensor ops.
 */
import * as tf from '@tensorflow/tfjs';
import { hasFusedSgdStep, registerSgdStepKernels, SGD_STEP } from './kernels/sgd-step';

registerSgdStepKernels();

export const MOMENTUM = 0.9;

export class MaskedSgd {
  private readonly velocity = new Map<tf.Variable, tf.Variable>();
  readonly nesterov: boolean;

  /**
   * `fused`: use the one-kernel update where the backend has it (default); false forces the
   * tensor-op path that WebGPU and WebGL use.
   */
  constructor(
    readonly weightDecay: number,
    readonly momentum = MOMENTUM,
    private readonly fused = true,
  ) {
    this.nesterov = weightDecay > 0;
  }

  /** Applies one update. Call inside tf.tidy; `grads` are keyed by variable name. */
  apply(
    params: readonly tf.Variable[],
    grads: tf.NamedTensorMap,
    lr: number,
    maskFor: (variable: tf.Variable) => tf.Tensor | null,
  ): void {
    const mu = this.momentum;
    const fused = this.fused && hasFusedSgdStep();
    for (const param of params) {
      const grad = grads[param.name];
      if (!grad) continue;
      const mask = maskFor(param);
      if (fused) {
        const velocity = this.buffer(param);
        const inputs: tf.NamedTensorMap = { param, grad, velocity };
        if (mask) inputs.mask = mask;
        const attrs = { lr, momentum: mu, weightDecay: this.weightDecay, nesterov: this.nesterov };
        const [w, v] = tf.engine().runKernel(SGD_STEP, inputs, attrs) as tf.Tensor[];
        param.assign(w!);
        velocity.assign(v!);
        continue;
      }
      let g: tf.Tensor =
        this.weightDecay > 0 ? tf.add(grad, tf.mul(param, this.weightDecay)) : grad;
      if (mask) g = tf.mul(g, mask);
      const v = this.buffer(param);
      v.assign(tf.add(tf.mul(v, mu), g));
      const step = this.nesterov ? tf.add(g, tf.mul(v, mu)) : v;
      let next = tf.sub(param, tf.mul(step, lr));
      if (mask) next = tf.mul(next, mask);
      param.assign(next);
    }
  }

  private buffer(param: tf.Variable): tf.Variable {
    let v = this.velocity.get(param);
    if (!v) {
      v = tf.tidy(() => tf.variable(tf.zerosLike(param), false));
      this.velocity.set(param, v);
    }
    return v;
  }

  dispose(): void {
    this.velocity.forEach((v) => v.dispose());
    this.velocity.clear();
  }
}
