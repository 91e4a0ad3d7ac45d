/**
 * The prunable layers of each model, by name and in order, known without building the model:
 * links and config files name layers in `layerOverrides`, and a wrong name must be caught
 * where the config is read. src/engine/models.test.ts checks this table against the models.
 */
import type { ModelName } from './config';

function resnetLayers(blocks: number): string[] {
  const names = ['conv1'];
  for (let s = 1; s <= 3; s++) {
    for (let b = 1; b <= blocks; b++) {
      names.push(`s${s}b${b}_conv1`, `s${s}b${b}_conv2`);
      if (s > 1 && b === 1) names.push(`s${s}b${b}_short`);
    }
  }
  return [...names, 'fc'];
}

export const MODEL_LAYERS: Record<ModelName, readonly string[]> = {
  lenet300: ['fc1', 'fc2', 'fc3'],
  lenet5: ['conv1', 'conv2', 'fc1', 'fc2', 'fc3'],
  conv4: ['conv1', 'conv2', 'conv3', 'conv4', 'fc1', 'fc2', 'fc3'],
  resnet8: resnetLayers(1),
  resnet20: resnetLayers(3),
};
