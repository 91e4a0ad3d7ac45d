/**
 * SGD with momentum and weight decay, PyTorch semantics, honouring pruning masks:
 *   g  = (dL/dw + wd * w) * m
 *   v <- mu * v + g
 *   w <- (w - lr * (nesterov ? g + mu * v : v)) * m
 * Nesterov is used when weight decay > 0. Masking both g and w keeps pruned weights at exactly 0
 * whatever the momentum buffer holds.
 */
import * as tf from '@tensorflow/tfjs';

export const MOMENTUM = 0.9;

export class MaskedSgd {
  private readonly velocity = new Map<tf.Variable, tf.Variable>();
  readonly nesterov: boolean;

  constructor(
    readonly weightDecay: number,
    readonly momentum = MOMENTUM,
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
    for (const param of params) {
      const grad = grads[param.name];
      if (!grad) continue;
      const mask = maskFor(param);
      let g: tf.Tensor =
        this.weightDecay > 0 ? tf.add(grad, tf.mul(param, this.weightDecay)) : grad;
      if (mask) g = tf.mul(g, mask);
      let v = this.velocity.get(param);
      if (!v) {
        v = tf.variable(tf.zerosLike(param), false);
        this.velocity.set(param, v);
      }
      v.assign(tf.add(tf.mul(v, mu), g));
      const step = this.nesterov ? tf.add(g, tf.mul(v, mu)) : v;
      let next = tf.sub(param, tf.mul(step, lr));
      if (mask) next = tf.mul(next, mask);
      param.assign(next);
    }
  }

  dispose(): void {
    this.velocity.forEach((v) => v.dispose());
    this.velocity.clear();
  }
}
