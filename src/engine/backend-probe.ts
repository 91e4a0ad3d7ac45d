/**
 * Checks that the active tfjs backend can train a model: runs one real training step
 * (TrainStep) on a tiny random batch. Backends that lack a kernel the model's gradients need
 * fail here instead of in the middle of a run.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelName } from '../schema/config';
import { buildModel } from './models';
import { PrunableNet } from './prunable-net';
import { TrainStep } from './train';

/** Resolves to null when the step ran and produced finite weights, else to the error's message. */
export async function probeTraining(model: ModelName): Promise<string | null> {
  const net = new PrunableNet(buildModel(model, 1));
  const step = new TrainStep(net, 10, 1e-4);
  try {
    tf.tidy(() => {
      const x = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 7) as tf.Tensor4D;
      step.run(x, tf.tensor1d([1, 2], 'int32'), 0.01);
    });
    const values = await net.params[0]!.data();
    return values.every(Number.isFinite) ? null : 'training step produced non-finite weights';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    step.dispose();
    net.dispose();
  }
}
