/**
 * Batch norm for the lab's models: tf.layers.batchNormalization, with one fused kernel pair for
 * training on WASM.
 *
 * In training mode tfjs normalises through tf.moments and tf.batchNorm, and the gradient of
 * FusedBatchNorm tiles the per-channel vectors to the whole activation ([1, 1, 1, C] to
 * [n, h, w, C]) before multiplying: on ResNet-20 those Tiles were 40% of a WASM training step.
 * Where the lab's SIMD kernels run (WASM with its heap found), a training call here is one kernel,
 * `LabBatchNormTrain` (mean, biased variance, normalise: three passes over the activation), and
 * its registered gradient one more, `LabBatchNormTrainGrad` (two passes): the closed form of
 * what autodiff through tf.moments computes. Everything else — inference, other backends,
 * channel counts that are not a multiple of 4 — is tfjs's own layer, unchanged, and the layer
 * serialises as tfjs's `BatchNormalization`, so saved models load without it.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { heapOffset, labKernels } from './kernels/lab-kernels';

export const BATCH_NORM_TRAIN = 'LabBatchNormTrain';
export const BATCH_NORM_TRAIN_GRAD = 'LabBatchNormTrainGrad';
/** TF.js flag (default true) for the fused kernels; bench cases set it false to compare. */
export const FUSED_BATCH_NORM_FLAG = 'LAB_FUSED_BATCH_NORM';

type HeapBackend = {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  disposeData(dataId: object): boolean;
};

interface Attrs {
  varianceEpsilon: number;
}

const batchNormTrain: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, scale, offset } = inputs as { x: TensorInfo; scale: TensorInfo; offset: TensorInfo };
  const { varianceEpsilon } = attrs as unknown as Attrs;
  const simd = labKernels()!;
  const b = backend as unknown as HeapBackend;
  const c = x.shape[x.shape.length - 1]!;
  const y = b.makeOutput([...x.shape], 'float32');
  const mean = b.makeOutput([c], 'float32');
  const variance = b.makeOutput([c], 'float32');
  const scratch = b.makeOutput([2 * c], 'float32');
  simd.batchNormTrain(
    heapOffset(b, x),
    heapOffset(b, scale),
    heapOffset(b, offset),
    heapOffset(b, y),
    heapOffset(b, mean),
    heapOffset(b, variance),
    heapOffset(b, scratch),
    tf.util.sizeFromShape(x.shape) / c,
    c,
    varianceEpsilon,
  );
  b.disposeData(scratch.dataId);
  return [y, mean, variance];
};

const batchNormTrainGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy, mean, variance, scale } = inputs as Record<string, TensorInfo>;
  const { varianceEpsilon } = attrs as unknown as Attrs;
  const simd = labKernels()!;
  const b = backend as unknown as HeapBackend;
  const c = x!.shape[x!.shape.length - 1]!;
  const dx = b.makeOutput([...x!.shape], 'float32');
  const dscale = b.makeOutput([c], 'float32');
  const doffset = b.makeOutput([c], 'float32');
  const scratch = b.makeOutput([5 * c], 'float32');
  simd.batchNormTrainGrad(
    heapOffset(b, x!),
    heapOffset(b, dy!),
    heapOffset(b, mean!),
    heapOffset(b, variance!),
    heapOffset(b, scale!),
    heapOffset(b, dx),
    heapOffset(b, dscale),
    heapOffset(b, doffset),
    heapOffset(b, scratch),
    tf.util.sizeFromShape(x!.shape) / c,
    c,
    varianceEpsilon,
  );
  b.disposeData(scratch.dataId);
  return [dx, dscale, doffset];
};

let registered = false;

/** Registers the fused kernels for 'wasm' and their gradient (idempotent). */
export function registerFusedBatchNorm(): void {
  if (registered) return;
  registered = true;
  tf.env().registerFlag(FUSED_BATCH_NORM_FLAG, () => true);
  tf.registerKernel({
    kernelName: BATCH_NORM_TRAIN,
    backendName: 'wasm',
    kernelFunc: batchNormTrain,
  });
  tf.registerKernel({
    kernelName: BATCH_NORM_TRAIN_GRAD,
    backendName: 'wasm',
    kernelFunc: batchNormTrainGrad,
  });
  tf.registerGradient({
    kernelName: BATCH_NORM_TRAIN,
    inputsToSave: ['x', 'scale'],
    outputsToSave: [false, true, true],
    gradFunc: (dys, saved, attrs) => {
      const [x, scale, mean, variance] = saved as tf.Tensor[];
      const dy = (Array.isArray(dys) ? dys[0] : dys)!;
      const [dx, dscale, doffset] = tf
        .engine()
        .runKernel(
          BATCH_NORM_TRAIN_GRAD,
          { x: x!, dy, mean: mean!, variance: variance!, scale: scale! },
          attrs as unknown as tf.NamedAttrMap,
        ) as tf.Tensor[];
      return { x: () => dx!, scale: () => dscale!, offset: () => doffset! };
    },
  });
}

/** True when a training call on `x` (channels last) can take the fused kernels. */
export function fusedBatchNormApplies(x: tf.Tensor): boolean {
  const c = x.shape[x.shape.length - 1]!;
  return (
    x.dtype === 'float32' &&
    x.rank >= 2 &&
    c % 4 === 0 &&
    tf.getBackend() === 'wasm' &&
    labKernels() !== null &&
    tf.getKernel(BATCH_NORM_TRAIN, 'wasm') !== undefined &&
    tf.env().getBool(FUSED_BATCH_NORM_FLAG)
  );
}

type BatchNormArgs = Parameters<typeof tf.layers.batchNormalization>[0];
type BatchNormLayer = ReturnType<typeof tf.layers.batchNormalization>;
type Kwargs = Parameters<BatchNormLayer['call']>[1];

/** tfjs's BatchNormalization class (not exported by name). */
const TfjsBatchNormalization = Object.getPrototypeOf(tf.layers.batchNormalization({}))
  .constructor as new (args?: BatchNormArgs) => BatchNormLayer;

/** The private fields of tfjs's layer that its training call uses. */
interface Fields {
  axis: number;
  momentum: number;
  epsilon: number;
  gamma: tf.LayerVariable | null;
  beta: tf.LayerVariable | null;
  movingMean: tf.LayerVariable;
  movingVariance: tf.LayerVariable;
}

class LabBatchNormalization extends TfjsBatchNormalization {
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const self = this as unknown as Fields;
    const lastAxis = self.axis === -1 || self.axis === x.rank - 1;
    if (
      !kwargs['training'] ||
      !lastAxis ||
      !self.gamma ||
      !self.beta ||
      !fusedBatchNormApplies(x)
    ) {
      return super.call(inputs, kwargs);
    }
    return tf.tidy(() => {
      const [y, mean, variance] = tf
        .engine()
        .runKernel(
          BATCH_NORM_TRAIN,
          { x, scale: self.gamma!.read(), offset: self.beta!.read() },
          { varianceEpsilon: self.epsilon },
        ) as tf.Tensor[];
      // The moving averages exactly as tfjs's layer updates them.
      for (const [variable, value] of [
        [self.movingMean, mean!],
        [self.movingVariance, variance!],
      ] as const) {
        tf.tidy(() => {
          const current = variable.read();
          variable.write(tf.sub(current, tf.mul(tf.sub(current, value), 1 - self.momentum)));
        });
      }
      return y!;
    });
  }
}

/** A batch-norm layer: tfjs's, with the fused training kernels where they apply. */
export function batchNormalization(args: BatchNormArgs): BatchNormLayer {
  return new LabBatchNormalization(args);
}
