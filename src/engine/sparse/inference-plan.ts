/**
 * The inference plan of a network state: the model's layers, in order, as the sparse inference
 * kernels need them — each conv and dense layer with its kernel, bias, mask and the geometry of
 * its input and output — read from a tfjs model and a state's weights (PrunableNet.snapshot
 * order: model.weights) and masks (PrunableNet.kernels order). Pure: nothing is computed on a
 * backend and the model is not changed.
 *
 * Supported: a chain of Conv2D (stride 1, 'same' or 'valid', ReLU or linear), MaxPooling2D
 * (2 x 2, stride 2, 'valid'), Flatten and Dense (ReLU or linear) layers: LeNet-300-100, LeNet-5
 * and Conv-4. Batch norm, residual connections and strided convolutions (the ResNets) are not.
 */
import * as tf from '@tensorflow/tfjs';

export interface ConvStage {
  kind: 'conv';
  name: string;
  kh: number;
  kw: number;
  cin: number;
  cout: number;
  /** Input plane size, and the zero padding before the first row and column ('same'). */
  inH: number;
  inW: number;
  padTop: number;
  padLeft: number;
  /** Padded input plane: ph = inH + kh - 1 for 'same', inH for 'valid' (likewise pw). */
  ph: number;
  pw: number;
  /** Output plane: ph - kh + 1 by pw - kw + 1. */
  outH: number;
  outW: number;
  relu: boolean;
  /** tfjs layout [kh, kw, cin, cout]: kernel[((a * kw + b) * cin + c) * cout + o]. */
  kernel: Float32Array;
  bias: Float32Array;
  /** 1 = alive, same layout as the kernel. */
  mask: Uint8Array;
}

export interface PoolStage {
  kind: 'pool';
  channels: number;
  inH: number;
  inW: number;
  outH: number;
  outW: number;
}

export interface DenseStage {
  kind: 'dense';
  name: string;
  inputs: number;
  units: number;
  relu: boolean;
  /** tfjs layout [in, out]: kernel[k * units + o]. */
  kernel: Float32Array;
  bias: Float32Array;
  mask: Uint8Array;
  /**
   * When the input is a flattened conv output, its [h, w, c]: tfjs flattens NHWC (index
   * (i * w + j) * c + d) while the kernels keep planes (CHW, index (d * h + i) * w + j), so the
   * kernel's rows are permuted when the layer is built. Null for a flattened input image.
   */
  fromPlanes: [number, number, number] | null;
}

export type Stage = ConvStage | PoolStage | DenseStage;

export interface InferencePlan {
  /** [h, w, c] of an input image (NHWC). */
  inputShape: [number, number, number];
  classes: number;
  stages: Stage[];
}

interface LayerConfig {
  activation?: string;
  padding?: string;
  strides?: number[] | number;
  poolSize?: number[] | number;
  kernelSize?: number[] | number;
  useBias?: boolean;
}

const pair = (v: number[] | number | undefined, fallback: number): [number, number] =>
  v === undefined ? [fallback, fallback] : typeof v === 'number' ? [v, v] : [v[0]!, v[1]!];

function activation(name: string, config: LayerConfig): boolean {
  const a = config.activation ?? 'linear';
  if (a !== 'relu' && a !== 'linear') throw new Error(`${name}: activation ${a} not supported`);
  return a === 'relu';
}

/**
 * The plan of `model` with `weights` (every model weight, model.weights order) and `masks` (one
 * per conv or dense kernel, in layer order). Throws for a layer the kernels cannot run.
 */
export function inferencePlan(
  model: tf.LayersModel,
  weights: readonly Float32Array[],
  masks: readonly Uint8Array[],
): InferencePlan {
  if (weights.length !== model.weights.length) throw new Error('weights do not fit the model');
  const valueOf = (w: tf.LayerVariable) => {
    const i = model.weights.indexOf(w);
    if (i < 0) throw new Error(`weight ${w.name} not in the model`);
    return weights[i]!;
  };
  const input = model.inputs[0]!.shape;
  const inputShape: [number, number, number] = [input[1]!, input[2]!, input[3] ?? 1];
  const stages: Stage[] = [];
  // The shape flowing between layers: planes [h, w, c] or a flat vector.
  let planes: [number, number, number] | null = [...inputShape];
  let flat = 0;
  let flattenedFrom: [number, number, number] | null = null;
  let kernelIndex = 0;
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    const config = layer.getConfig() as LayerConfig;
    const kernelOf = () => layer.weights.find((w) => w.originalName.endsWith('/kernel'))!;
    const biasOf = (size: number) => {
      const b = layer.weights.find((w) => w.originalName.endsWith('/bias'));
      return b ? valueOf(b) : new Float32Array(size);
    };
    if (cls === 'InputLayer') continue;
    if (cls === 'Conv2D') {
      if (!planes) throw new Error(`${layer.name}: a convolution after flatten`);
      const [strideH, strideW] = pair(config.strides, 1);
      if (strideH !== 1 || strideW !== 1) throw new Error(`${layer.name}: stride not supported`);
      const kernel = kernelOf();
      const [kh, kw, cin, cout] = kernel.shape as [number, number, number, number];
      const inH: number = planes[0];
      const inW: number = planes[1];
      const same = config.padding === 'same';
      const ph: number = same ? inH + kh - 1 : inH;
      const pw: number = same ? inW + kw - 1 : inW;
      stages.push({
        kind: 'conv',
        name: layer.name,
        kh,
        kw,
        cin,
        cout,
        inH,
        inW,
        padTop: same ? Math.floor((kh - 1) / 2) : 0,
        padLeft: same ? Math.floor((kw - 1) / 2) : 0,
        ph,
        pw,
        outH: ph - kh + 1,
        outW: pw - kw + 1,
        relu: activation(layer.name, config),
        kernel: valueOf(kernel),
        bias: biasOf(cout),
        mask: masks[kernelIndex++]!,
      });
      planes = [ph - kh + 1, pw - kw + 1, cout];
    } else if (cls === 'MaxPooling2D') {
      if (!planes) throw new Error(`${layer.name}: pooling after flatten`);
      const [p0, p1] = pair(config.poolSize, 2);
      const [s0, s1] = pair(config.strides ?? config.poolSize, 2);
      if (p0 !== 2 || p1 !== 2 || s0 !== 2 || s1 !== 2 || config.padding === 'same')
        throw new Error(`${layer.name}: only 2 x 2 pooling at stride 2 is supported`);
      const [h, w, c]: number[] = planes;
      stages.push({
        kind: 'pool',
        channels: c!,
        inH: h!,
        inW: w!,
        outH: h! >> 1,
        outW: w! >> 1,
      });
      planes = [h! >> 1, w! >> 1, c!];
    } else if (cls === 'Flatten') {
      if (planes) {
        flat = planes[0] * planes[1] * planes[2];
        // A flattened input image keeps tfjs's order; a conv output is in planes.
        flattenedFrom = stages.length > 0 ? planes : null;
        planes = null;
      }
    } else if (cls === 'Dense') {
      if (planes) throw new Error(`${layer.name}: a dense layer on images needs flatten`);
      const kernel = kernelOf();
      const [inputs, units] = kernel.shape as [number, number];
      if (inputs !== flat) throw new Error(`${layer.name}: ${inputs} inputs, ${flat} given`);
      stages.push({
        kind: 'dense',
        name: layer.name,
        inputs,
        units,
        relu: activation(layer.name, config),
        kernel: valueOf(kernel),
        bias: biasOf(units),
        mask: masks[kernelIndex++]!,
        fromPlanes: flattenedFrom,
      });
      flattenedFrom = null;
      flat = units;
    } else {
      throw new Error(`${layer.name}: ${cls} layers are not supported by the sparse kernels`);
    }
  }
  if (kernelIndex !== masks.length) throw new Error('one mask per conv or dense kernel');
  const last = stages[stages.length - 1];
  if (!last || last.kind !== 'dense') throw new Error('the network must end in a dense layer');
  return { inputShape, classes: last.units, stages };
}
