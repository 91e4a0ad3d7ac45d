/**
 * The lab's networks, built with seeded initialisers so that the same seed gives the same
 * weights on every backend. Initialisation follows PyTorch's defaults for nn.Linear/nn.Conv2d:
 * kernel and bias ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelName } from '../schema/config';
import { deriveSeed } from '../data/rng';
import { batchNormalization } from './batch-norm';
import { conv2d, dense } from './fused-layers';

type Shape3 = [number, number, number];

function initialisers(seed: number, name: string, fanIn: number) {
  const bound = 1 / Math.sqrt(fanIn);
  return {
    // varianceScaling(scale 1/3, fanIn, uniform): limit = sqrt(3 * scale / fanIn) = 1/sqrt(fanIn)
    kernelInitializer: tf.initializers.varianceScaling({
      scale: 1 / 3,
      mode: 'fanIn',
      distribution: 'uniform',
      seed: deriveSeed(seed, `${name}/kernel`),
    }),
    biasInitializer: tf.initializers.randomUniform({
      minval: -bound,
      maxval: bound,
      seed: deriveSeed(seed, `${name}/bias`),
    }),
  };
}

function denseLayer(seed: number, name: string, fanIn: number, units: number, relu: boolean) {
  return dense({
    name,
    units,
    activation: relu ? 'relu' : 'linear',
    ...initialisers(seed, name, fanIn),
  });
}

interface ConvOptions {
  kernel?: number;
  padding?: 'same' | 'valid';
  strides?: number;
  relu?: boolean;
  bias?: boolean;
}

function conv(seed: number, name: string, inChannels: number, filters: number, o: ConvOptions) {
  const kernel = o.kernel ?? 5;
  const { biasInitializer, kernelInitializer } = initialisers(
    seed,
    name,
    inChannels * kernel * kernel,
  );
  return conv2d({
    name,
    filters,
    kernelSize: kernel,
    padding: o.padding ?? 'same',
    strides: o.strides ?? 1,
    activation: (o.relu ?? true) ? 'relu' : 'linear',
    useBias: o.bias ?? true,
    kernelInitializer,
    ...((o.bias ?? true) ? { biasInitializer } : {}),
  });
}

/** Batch norm with PyTorch's defaults: momentum 0.1 (Keras' 0.9), eps 1e-5, gamma 1, beta 0. */
function batchNorm(name: string) {
  return batchNormalization({ name, momentum: 0.9, epsilon: 1e-5 });
}

/** LeNet-300-100: flatten, dense 300 ReLU, dense 100 ReLU, dense 10 (logits). */
function lenet300(seed: number, inputShape: Shape3, classes: number): tf.Sequential {
  const inputs = inputShape[0] * inputShape[1] * inputShape[2];
  return tf.sequential({
    name: 'lenet300',
    layers: [
      tf.layers.flatten({ inputShape, name: 'flatten' }),
      denseLayer(seed, 'fc1', inputs, 300, true),
      denseLayer(seed, 'fc2', 300, 100, true),
      denseLayer(seed, 'fc3', 100, classes, false),
    ],
  });
}

/**
 * LeNet-5: conv 6@5x5 'same' ReLU, maxpool 2, conv 16@5x5 'valid' ReLU, maxpool 2,
 * dense 120 ReLU, dense 84 ReLU, dense 10 (logits).
 */
function lenet5(seed: number, inputShape: Shape3, classes: number): tf.Sequential {
  const [h, w, c] = inputShape;
  const flat =
    Math.floor((Math.floor(h / 2) - 4) / 2) * Math.floor((Math.floor(w / 2) - 4) / 2) * 16;
  return tf.sequential({
    name: 'lenet5',
    layers: [
      tf.layers.inputLayer({ inputShape, name: 'input' }),
      conv(seed, 'conv1', c, 6, { padding: 'same' }),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }),
      conv(seed, 'conv2', 6, 16, { padding: 'valid' }),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool2' }),
      tf.layers.flatten({ name: 'flatten' }),
      denseLayer(seed, 'fc1', flat, 120, true),
      denseLayer(seed, 'fc2', 120, 84, true),
      denseLayer(seed, 'fc3', 84, classes, false),
    ],
  });
}

/**
 * Conv-4 of the Lottery Ticket paper (Frankle & Carbin 2019), for any input size: conv 64,
 * conv 64, maxpool 2, conv 128, conv 128, maxpool 2 (3x3 'same' convs with ReLU), then dense
 * 256 ReLU, dense 256 ReLU, dense 10. 2.43M parameters at 32x32x3, 1.93M at 28x28x1.
 */
function conv4(seed: number, inputShape: Shape3, classes: number): tf.Sequential {
  const [h, w, c] = inputShape;
  const flat = Math.floor(Math.floor(h / 2) / 2) * Math.floor(Math.floor(w / 2) / 2) * 128;
  const c3 = { kernel: 3 };
  return tf.sequential({
    name: 'conv4',
    layers: [
      tf.layers.inputLayer({ inputShape, name: 'input' }),
      conv(seed, 'conv1', c, 64, c3),
      conv(seed, 'conv2', 64, 64, c3),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }),
      conv(seed, 'conv3', 64, 128, c3),
      conv(seed, 'conv4', 128, 128, c3),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool2' }),
      tf.layers.flatten({ name: 'flatten' }),
      denseLayer(seed, 'fc1', flat, 256, true),
      denseLayer(seed, 'fc2', 256, 256, true),
      denseLayer(seed, 'fc3', 256, classes, false),
    ],
  });
}

/**
 * ResNet-(6n+2) for small images (He et al. 2016, CIFAR variant): conv 3x3 16 + BN + ReLU, three
 * stages of n basic blocks with 16, 32, 64 channels (the first block of stages 2 and 3 has
 * stride 2), global average pooling, dense 10. A basic block is conv-BN-ReLU-conv-BN plus the
 * shortcut, then ReLU; where the shape changes the shortcut is a 1x1 conv + BN (option B).
 * Convs have no bias (BN follows). n = 1: ResNet-8; n = 3: ResNet-20 (272,474 parameters at
 * 32x32x3, as PyTorch counts them).
 */
function resnet(
  seed: number,
  inputShape: Shape3,
  classes: number,
  blocks: number,
  name: string,
): tf.LayersModel {
  const c3 = { kernel: 3, relu: false, bias: false };
  const input = tf.input({ shape: inputShape, name: 'input' });
  const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor) =>
    layer.apply(x) as tf.SymbolicTensor;
  const relu = (x: tf.SymbolicTensor, n: string) =>
    apply(tf.layers.activation({ activation: 'relu', name: n }), x);
  let x = relu(
    apply(batchNorm('bn1'), apply(conv(seed, 'conv1', inputShape[2], 16, c3), input)),
    'relu1',
  );
  let channels = 16;
  [16, 32, 64].forEach((width, s) => {
    for (let b = 0; b < blocks; b++) {
      const p = `s${s + 1}b${b + 1}`;
      const strides = s > 0 && b === 0 ? 2 : 1;
      let y = apply(conv(seed, `${p}_conv1`, channels, width, { ...c3, strides }), x);
      y = relu(apply(batchNorm(`${p}_bn1`), y), `${p}_relu1`);
      y = apply(batchNorm(`${p}_bn2`), apply(conv(seed, `${p}_conv2`, width, width, c3), y));
      const shortcut =
        strides !== 1 || channels !== width
          ? apply(
              batchNorm(`${p}_shortbn`),
              apply(conv(seed, `${p}_short`, channels, width, { ...c3, kernel: 1, strides }), x),
            )
          : x;
      x = relu(
        tf.layers.add({ name: `${p}_add` }).apply([y, shortcut]) as tf.SymbolicTensor,
        `${p}_relu2`,
      );
      channels = width;
    }
  });
  const pooled = apply(tf.layers.globalAveragePooling2d({ name: 'pool' }), x);
  const logits = apply(denseLayer(seed, 'fc', 64, classes, false), pooled);
  return tf.model({ inputs: input, outputs: logits, name });
}

type Builder = (seed: number, inputShape: Shape3, classes: number) => tf.LayersModel;

/** One builder per model of the registry (src/core/models.ts); the type asks for each. */
const BUILDERS: Record<ModelName, Builder> = {
  lenet300,
  lenet5,
  conv4,
  resnet8: (seed, shape, classes) => resnet(seed, shape, classes, 1, 'resnet8'),
  resnet20: (seed, shape, classes) => resnet(seed, shape, classes, 3, 'resnet20'),
};

/** Builds `name` for images of `inputShape` ([h, w, c]) and `classes` outputs. */
export function buildModel(
  name: ModelName,
  seed: number,
  inputShape: Shape3 = [28, 28, 1],
  classes = 10,
): tf.LayersModel {
  return BUILDERS[name](seed, inputShape, classes);
}
