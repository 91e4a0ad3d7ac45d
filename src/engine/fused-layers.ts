/**
 * Convolution and dense layers for the lab's models: tf.layers.conv2d and tf.layers.dense, with
 * the convolution (or matrix product), the bias and the ReLU as one kernel in training on WASM.
 *
 * tfjs fuses bias and activation into its FusedConv2D and _FusedMatMul kernels only where no
 * gradient is being taken (or the activation is linear), so a training step ran each ReLU layer
 * as a product, an Add and a Relu, and its gradient as a Step, a Multiply and a Sum (plus their
 * reshapes): on LeNet-5, 20 of a step's 141 kernel launches, each a small pass over the
 * activation. Where the lab's SIMD kernels run (WASM with its heap found), a training call of a
 * ReLU layer with a bias is one kernel here (`LabConv2DBiasRelu`, `LabMatMulBiasRelu`: the WASM
 * backend's fused kernels, which the lab's Winograd and one-channel kernels replace where they
 * apply), and its gradient starts with one more, `LabReluBiasGrad`: g = dy where y > 0, and the
 * bias gradient, the column sums of g. The products' gradients are then tfjs's
 * (Conv2DBackpropInput / Conv2DBackpropFilter, transposed BatchMatMuls), as before. Everything
 * else — inference, other backends, linear layers, layers without a bias — is tfjs's own layer,
 * unchanged, and the layers serialise as tfjs's `Conv2D` and `Dense`, so saved models load
 * without this file.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { HeapBackend } from './kernels/kernel-calls';
import { heapOffset, labKernels } from './kernels/lab-kernels';

export const CONV_BIAS_RELU = 'LabConv2DBiasRelu';
export const MATMUL_BIAS_RELU = 'LabMatMulBiasRelu';
export const RELU_BIAS_GRAD = 'LabReluBiasGrad';
/** TF.js flag (default true) for the fused training layers; bench cases set it false to compare. */
export const FUSED_LAYERS_FLAG = 'LAB_FUSED_LAYERS';

interface ConvAttrs {
  strides: [number, number];
  pad: 'same' | 'valid';
  dataFormat: 'NHWC';
  dilations: [number, number];
}

/** The WASM backend's kernel `name` as registered now (the lab's replacements included). */
function wasmKernel(name: string): KernelFunc {
  const config = tf.getKernel(name, 'wasm');
  if (!config) throw new Error(`WASM kernel ${name} is missing`);
  return config.kernelFunc as KernelFunc;
}

const convBiasRelu: KernelFunc = (args) =>
  wasmKernel('FusedConv2D')({
    ...args,
    attrs: { ...args.attrs, activation: 'relu' },
  });

/** a [m, k] x b [k, n] + bias, ReLU: the backend's kernel takes batches of matrices (rank 3). */
const matMulBiasRelu: KernelFunc = (args) => {
  const { a, b, bias } = args.inputs as { a: TensorInfo; b: TensorInfo; bias: TensorInfo };
  const batched = (t: TensorInfo): TensorInfo => ({ ...t, shape: [1, ...t.shape] });
  const out = wasmKernel('_FusedMatMul')({
    ...args,
    inputs: { a: batched(a), b: batched(b), bias },
    attrs: { transposeA: false, transposeB: false, activation: 'relu' },
  }) as TensorInfo;
  return { ...out, shape: [a.shape[0]!, b.shape[1]!] };
};

const reluBiasGrad: KernelFunc = ({ inputs, backend }) => {
  const { dy, y } = inputs as { dy: TensorInfo; y: TensorInfo };
  const simd = labKernels()!;
  const b = backend as HeapBackend;
  const c = y.shape[y.shape.length - 1]!;
  const size = tf.util.sizeFromShape(y.shape);
  const g = b.makeOutput([...y.shape], 'float32');
  const db = b.makeOutput([c], 'float32');
  simd.reluGrad(heapOffset(b, dy), heapOffset(b, y), heapOffset(b, g), size);
  simd.sumRows(heapOffset(b, g), heapOffset(b, db), size / c, c);
  return [g, db];
};

/** g and the bias gradient of a ReLU layer from its output y. */
function reluBiasGradOf(dys: tf.Tensor | tf.Tensor[], y: tf.Tensor): [tf.Tensor, tf.Tensor] {
  const dy = (Array.isArray(dys) ? dys[0] : dys)!;
  return tf.engine().runKernel(RELU_BIAS_GRAD, { dy, y }) as [tf.Tensor, tf.Tensor];
}

let registered = false;

/** Registers the fused kernels for 'wasm' and their gradients (idempotent). */
export function registerFusedLayers(): void {
  if (registered) return;
  registered = true;
  tf.env().registerFlag(FUSED_LAYERS_FLAG, () => true);
  for (const [kernelName, kernelFunc] of [
    [CONV_BIAS_RELU, convBiasRelu],
    [MATMUL_BIAS_RELU, matMulBiasRelu],
    [RELU_BIAS_GRAD, reluBiasGrad],
  ] as const) {
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
  }
  tf.registerGradient({
    kernelName: CONV_BIAS_RELU,
    inputsToSave: ['x', 'filter'],
    outputsToSave: [true],
    gradFunc: (dys, saved, attrs) => {
      const [x, filter, y] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
      const [g, db] = reluBiasGradOf(dys, y);
      const { strides, pad } = attrs as unknown as ConvAttrs;
      const common = { strides, pad, dataFormat: 'NHWC' } as unknown as NamedAttrMap;
      const run = (name: string, inputs: tf.NamedTensorMap, more: NamedAttrMap) =>
        tf.engine().runKernel(name, inputs, { ...common, ...more }) as tf.Tensor;
      return {
        x: () =>
          run('Conv2DBackpropInput', { dy: g, filter }, { inputShape: x.shape } as NamedAttrMap),
        filter: () =>
          run('Conv2DBackpropFilter', { x, dy: g }, {
            filterShape: filter.shape,
          } as NamedAttrMap),
        bias: () => db,
      };
    },
  });
  tf.registerGradient({
    kernelName: MATMUL_BIAS_RELU,
    inputsToSave: ['a', 'b'],
    outputsToSave: [true],
    gradFunc: (dys, saved) => {
      const [a, b, y] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      const [g, db] = reluBiasGradOf(dys, y);
      return {
        a: () => tf.matMul(g, b, false, true),
        b: () => tf.matMul(a, g, true, false),
        bias: () => db,
      };
    },
  });
}

/** True when a training call on `x` can take the fused kernels (WASM with the SIMD kernels). */
export function fusedLayersApply(x: tf.Tensor): boolean {
  return (
    x.dtype === 'float32' &&
    tf.getBackend() === 'wasm' &&
    labKernels() !== null &&
    tf.getKernel(CONV_BIAS_RELU, 'wasm') !== undefined &&
    tf.env().getBool(FUSED_LAYERS_FLAG)
  );
}

type ConvArgs = Parameters<typeof tf.layers.conv2d>[0];
type ConvLayer = ReturnType<typeof tf.layers.conv2d>;
type DenseArgs = Parameters<typeof tf.layers.dense>[0];
type DenseLayer = ReturnType<typeof tf.layers.dense>;
type Kwargs = Parameters<ConvLayer['call']>[1];

/** tfjs's Conv2D and Dense classes (not exported by name). */
const TfjsConv2D = Object.getPrototypeOf(tf.layers.conv2d({ filters: 1, kernelSize: 1 }))
  .constructor as new (args: ConvArgs) => ConvLayer;
const TfjsDense = Object.getPrototypeOf(tf.layers.dense({ units: 1 })).constructor as new (
  args: DenseArgs,
) => DenseLayer;

/** The private fields of tfjs's layers that their calls use. */
interface Fields {
  kernel: tf.LayerVariable;
  bias: tf.LayerVariable | null;
  activation: { getClassName(): string };
  strides: number[];
  padding: string;
  dataFormat: string;
  dilationRate: number[];
}

/** The input tensor and the layer's fields, when a training call can be fused. */
function fusable(
  layer: object,
  inputs: tf.Tensor | tf.Tensor[],
  kwargs: Kwargs,
): { x: tf.Tensor; self: Fields } | null {
  const x = Array.isArray(inputs) ? inputs[0]! : inputs;
  const self = layer as unknown as Fields;
  if (
    !kwargs['training'] ||
    !self.bias ||
    self.activation.getClassName() !== 'relu' ||
    !fusedLayersApply(x)
  ) {
    return null;
  }
  return { x, self };
}

class LabConv2D extends TfjsConv2D {
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const f = fusable(this, inputs, kwargs);
    if (
      !f ||
      f.x.rank !== 4 ||
      f.self.dataFormat !== 'channelsLast' ||
      f.self.dilationRate.some((d) => d !== 1) ||
      (f.self.padding !== 'same' && f.self.padding !== 'valid')
    ) {
      return super.call(inputs, kwargs);
    }
    const { x, self } = f;
    return tf
      .engine()
      .runKernel(CONV_BIAS_RELU, { x, filter: self.kernel.read(), bias: self.bias!.read() }, {
        strides: [...self.strides],
        pad: self.padding,
        dataFormat: 'NHWC',
        dilations: [1, 1],
      } as unknown as NamedAttrMap) as tf.Tensor;
  }
}

class LabDense extends TfjsDense {
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const f = fusable(this, inputs, kwargs);
    if (!f || f.x.rank !== 2) return super.call(inputs, kwargs);
    const { x, self } = f;
    return tf
      .engine()
      .runKernel(
        MATMUL_BIAS_RELU,
        { a: x, b: self.kernel.read(), bias: self.bias!.read() },
        {},
      ) as tf.Tensor;
  }
}

/** A 2-D convolution layer: tfjs's, fused in training where the kernels apply. */
export function conv2d(args: ConvArgs): ConvLayer {
  return new LabConv2D(args);
}

/** A dense layer: tfjs's, fused in training where the kernels apply. */
export function dense(args: DenseArgs): DenseLayer {
  return new LabDense(args);
}
