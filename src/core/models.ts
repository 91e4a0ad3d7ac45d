/**
 * Every model, by its config name (`"model"`): label, description and the prunable layers'
 * kernel shapes, known without building the network (the UI lists layers for overrides, links
 * and config files name layers, the docs count weights). The tfjs networks themselves are in
 * src/engine/models.ts, one builder per id (typed against this registry);
 * src/engine/models.test.ts checks every shape here against the built network.
 * Adding a model: an entry here, its builder in engine/models.ts, its class in the Python twin.
 */
import { registryIds } from './registry-ids';

/** [height, width, channels] of an input image. */
export type ImageShape = readonly [number, number, number];

/** A prunable layer: its name and kernel shape ([kh, kw, cin, cout] conv, [in, out] dense). */
export interface LayerShape {
  name: string;
  shape: number[];
}

export interface ModelModule<Id extends string = string> {
  id: Id;
  label: string;
  description: string;
  /** Whether it has batch-norm layers (BN recalibration applies). */
  batchNorm: boolean;
  /** The prunable layers, in order, for images of `input` and `classes` outputs. */
  layers(input: ImageShape, classes: number): LayerShape[];
}

/** Training batches averaged by BN recalibration after a prune (models with batch norm). */
export const BN_RECALIBRATION_BATCHES = 50;

const convLayer = (name: string, k: number, cin: number, cout: number): LayerShape => ({
  name,
  shape: [k, k, cin, cout],
});
const denseLayer = (name: string, inputs: number, units: number): LayerShape => ({
  name,
  shape: [inputs, units],
});

function resnetLayers(blocks: number, channels: number, classes: number): LayerShape[] {
  const layers = [convLayer('conv1', 3, channels, 16)];
  let cin = 16;
  [16, 32, 64].forEach((width, s) => {
    for (let b = 1; b <= blocks; b++) {
      const p = `s${s + 1}b${b}`;
      layers.push(convLayer(`${p}_conv1`, 3, cin, width), convLayer(`${p}_conv2`, 3, width, width));
      if (s > 0 && b === 1) layers.push(convLayer(`${p}_short`, 1, cin, width));
      cin = width;
    }
  });
  return [...layers, denseLayer('fc', 64, classes)];
}

const lenet300: ModelModule<'lenet300'> = {
  id: 'lenet300',
  label: 'LeNet-300-100 (MLP)',
  description: 'dense 300, dense 100, dense classes (ReLU)',
  batchNorm: false,
  layers: ([h, w, c], classes) => [
    denseLayer('fc1', h * w * c, 300),
    denseLayer('fc2', 300, 100),
    denseLayer('fc3', 100, classes),
  ],
};

const lenet5: ModelModule<'lenet5'> = {
  id: 'lenet5',
  label: 'LeNet-5 (CNN)',
  description: "conv 6@5x5 'same', pool, conv 16@5x5, pool, dense 120, 84, classes",
  batchNorm: false,
  layers: ([h, w, c], classes) => {
    const side = (n: number) => Math.floor((Math.floor(n / 2) - 4) / 2);
    return [
      convLayer('conv1', 5, c, 6),
      convLayer('conv2', 5, 6, 16),
      denseLayer('fc1', side(h) * side(w) * 16, 120),
      denseLayer('fc2', 120, 84),
      denseLayer('fc3', 84, classes),
    ];
  },
};

const conv4: ModelModule<'conv4'> = {
  id: 'conv4',
  label: 'Conv-4 (Lottery Ticket CNN, 1.9M weights, slow)',
  description: 'conv 64, 64, pool, 128, 128, pool (3x3), dense 256, 256, classes',
  batchNorm: false,
  layers: ([h, w, c], classes) => [
    convLayer('conv1', 3, c, 64),
    convLayer('conv2', 3, 64, 64),
    convLayer('conv3', 3, 64, 128),
    convLayer('conv4', 3, 128, 128),
    denseLayer('fc1', Math.floor(h / 4) * Math.floor(w / 4) * 128, 256),
    denseLayer('fc2', 256, 256),
    denseLayer('fc3', 256, classes),
  ],
};

const resnet8: ModelModule<'resnet8'> = {
  id: 'resnet8',
  label: 'ResNet-8 (batch norm)',
  description: 'CIFAR ResNet, 1 basic block per stage (16, 32, 64 channels), batch norm',
  batchNorm: true,
  layers: ([, , c], classes) => resnetLayers(1, c, classes),
};

const resnet20: ModelModule<'resnet20'> = {
  id: 'resnet20',
  label: 'ResNet-20 (batch norm, slow)',
  description: 'CIFAR ResNet, 3 basic blocks per stage (16, 32, 64 channels), batch norm',
  batchNorm: true,
  layers: ([, , c], classes) => resnetLayers(3, c, classes),
};

export const MODEL_REGISTRY = { lenet300, lenet5, conv4, resnet8, resnet20 } as const;

export type ModelId = keyof typeof MODEL_REGISTRY;
export const MODEL_IDS = registryIds(MODEL_REGISTRY);

/** The prunable layers' names of each model, in order (they do not depend on the input). */
export const MODEL_LAYERS: Record<ModelId, readonly string[]> = Object.fromEntries(
  MODEL_IDS.map((id) => [id, MODEL_REGISTRY[id].layers([28, 28, 1], 10).map((l) => l.name)]),
) as unknown as Record<ModelId, readonly string[]>;
