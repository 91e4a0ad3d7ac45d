/**
 * The lab's networks, built with seeded initialisers so that the same seed gives the same
 * weights on every backend. Initialisation follows PyTorch's defaults for nn.Linear/nn.Conv2d:
 * kernel and bias ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelName } from '../schema/config';
import { deriveSeed } from '../data/rng';

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

function dense(seed: number, name: string, fanIn: number, units: number, relu: boolean) {
  return tf.layers.dense({
    name,
    units,
    activation: relu ? 'relu' : 'linear',
    ...initialisers(seed, name, fanIn),
  });
}

function conv(
  seed: number,
  name: string,
  inChannels: number,
  filters: number,
  padding: 'same' | 'valid',
) {
  return tf.layers.conv2d({
    name,
    filters,
    kernelSize: 5,
    padding,
    activation: 'relu',
    ...initialisers(seed, name, inChannels * 25),
  });
}

/** LeNet-300-100: flatten, dense 300 ReLU, dense 100 ReLU, dense 10 (logits). */
function lenet300(seed: number, inputShape: Shape3, classes: number): tf.Sequential {
  const inputs = inputShape[0] * inputShape[1] * inputShape[2];
  return tf.sequential({
    name: 'lenet300',
    layers: [
      tf.layers.flatten({ inputShape, name: 'flatten' }),
      dense(seed, 'fc1', inputs, 300, true),
      dense(seed, 'fc2', 300, 100, true),
      dense(seed, 'fc3', 100, classes, false),
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
      conv(seed, 'conv1', c, 6, 'same'),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }),
      conv(seed, 'conv2', 6, 16, 'valid'),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool2' }),
      tf.layers.flatten({ name: 'flatten' }),
      dense(seed, 'fc1', flat, 120, true),
      dense(seed, 'fc2', 120, 84, true),
      dense(seed, 'fc3', 84, classes, false),
    ],
  });
}

/** Builds `name` for images of `inputShape` ([h, w, c]) and `classes` outputs. */
export function buildModel(
  name: ModelName,
  seed: number,
  inputShape: Shape3 = [28, 28, 1],
  classes = 10,
): tf.Sequential {
  switch (name) {
    case 'lenet300':
      return lenet300(seed, inputShape, classes);
    case 'lenet5':
      return lenet5(seed, inputShape, classes);
  }
}
