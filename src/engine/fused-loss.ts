/**
 * The training loss as one kernel on WASM: mean softmax cross-entropy of logits [n, k] against
 * integer labels [n], and its gradient as one more.
 *
 * tf.losses.softmaxCrossEntropy(tf.oneHot(labels, k), logits) ran as about 35 kernel launches
 * a step (one-hot, log-sum-exp, the mean's divisions, casts and reshapes, and their gradients),
 * tiny ones each, and on two threads its broadcasting Multiplies woke XNNPACK's thread pool:
 * about 0.7 ms of a 6.3 ms LeNet-5 step. Here the forward kernel computes each row's log-sum-exp
 * (its maximum subtracted first) in float64, the loss mean(logsumexp(z) - z[label]) and the
 * softmax p, which it keeps; the gradient is dL/dz = dL (p - onehot(label)) / n, what tfjs's
 * loss and its mean reduction compute. A label outside [0, k) is an all-zero one-hot row, as
 * tf.oneHot makes it. Other backends keep tfjs's loss.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { HeapBackend } from './kernels/kernel-calls';

export const SOFTMAX_CROSS_ENTROPY = 'LabSoftmaxCrossEntropy';
export const SOFTMAX_CROSS_ENTROPY_GRAD = 'LabSoftmaxCrossEntropyGrad';
/** TF.js flag (default true) for the fused loss; bench cases set it false to compare. */
export const FUSED_LOSS_FLAG = 'LAB_FUSED_LOSS';

const forward: KernelFunc = ({ inputs, backend }) => {
  const { logits, labels } = inputs as { logits: TensorInfo; labels: TensorInfo };
  const b = backend as HeapBackend;
  const [n, k] = logits.shape as [number, number];
  // Allocate first: a heap that grows invalidates earlier views.
  const loss = b.makeOutput([], 'float32');
  const probs = b.makeOutput([n, k], 'float32');
  const z = b.typedArrayFromHeap(logits);
  const label = b.typedArrayFromHeap(labels);
  const p = b.typedArrayFromHeap(probs);
  const exps = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const row = i * k;
    let max = -Infinity;
    for (let j = 0; j < k; j++) max = Math.max(max, z[row + j]!);
    let sum = 0;
    for (let j = 0; j < k; j++) {
      exps[j] = Math.exp(z[row + j]! - max);
      sum += exps[j]!;
    }
    for (let j = 0; j < k; j++) p[row + j] = exps[j]! / sum;
    const c = label[i]!;
    const logSumExp = Math.log(sum) + max;
    // An all-zero one-hot row (a label outside [0, k)) adds nothing, as in tfjs.
    if (c >= 0 && c < k) total += logSumExp - z[row + c]!;
  }
  b.typedArrayFromHeap(loss)[0] = total / n;
  return [loss, probs];
};

const gradient: KernelFunc = ({ inputs, backend }) => {
  const { dy, probs, labels } = inputs as Record<string, TensorInfo>;
  const b = backend as HeapBackend;
  const [n, k] = probs!.shape as [number, number];
  const dz = b.makeOutput([n, k], 'float32');
  const scale = b.typedArrayFromHeap(dy!)[0]! / n;
  const p = b.typedArrayFromHeap(probs!);
  const label = b.typedArrayFromHeap(labels!);
  const out = b.typedArrayFromHeap(dz);
  for (let i = 0; i < n; i++) {
    const row = i * k;
    for (let j = 0; j < k; j++) out[row + j] = scale * p[row + j]!;
    const c = label[i]!;
    if (c >= 0 && c < k) out[row + c] = scale * (p[row + c]! - 1);
  }
  return dz;
};

let registered = false;

/** Registers the two kernels for 'wasm' and the gradient (idempotent). */
export function registerFusedLoss(): void {
  if (registered) return;
  registered = true;
  tf.env().registerFlag(FUSED_LOSS_FLAG, () => true);
  tf.registerKernel({
    kernelName: SOFTMAX_CROSS_ENTROPY,
    backendName: 'wasm',
    kernelFunc: forward,
  });
  tf.registerKernel({
    kernelName: SOFTMAX_CROSS_ENTROPY_GRAD,
    backendName: 'wasm',
    kernelFunc: gradient,
  });
  tf.registerGradient({
    kernelName: SOFTMAX_CROSS_ENTROPY,
    inputsToSave: ['labels'],
    outputsToSave: [false, true],
    gradFunc: (dys, saved) => {
      const [labels, probs] = saved as [tf.Tensor, tf.Tensor];
      const dy = (Array.isArray(dys) ? dys[0] : dys)!;
      return {
        logits: () =>
          tf.engine().runKernel(SOFTMAX_CROSS_ENTROPY_GRAD, { dy, probs, labels }) as tf.Tensor,
        labels: () => tf.zeros(labels.shape, 'float32'),
      };
    },
  });
}

/**
 * Mean softmax cross-entropy of `logits` [n, classes] against integer `labels` [n]: the fused
 * kernel on WASM, else tfjs's loss of the one-hot labels.
 */
export function softmaxCrossEntropy(
  logits: tf.Tensor,
  labels: tf.Tensor1D,
  classes: number,
): tf.Scalar {
  if (
    tf.getBackend() === 'wasm' &&
    logits.rank === 2 &&
    logits.shape[1] === classes &&
    logits.dtype === 'float32' &&
    labels.dtype === 'int32' &&
    tf.getKernel(SOFTMAX_CROSS_ENTROPY, 'wasm') !== undefined &&
    tf.env().getBool(FUSED_LOSS_FLAG)
  ) {
    const [loss] = tf.engine().runKernel(SOFTMAX_CROSS_ENTROPY, { logits, labels }) as tf.Tensor[];
    return loss as tf.Scalar;
  }
  return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, classes), logits) as tf.Scalar;
}
