/**
 * Checks that the active tfjs backend can train a model: runs one masked training step on a
 * tiny random batch. Backends that lack a kernel the model's gradients need (e.g. WASM's
 * missing Conv2DBackpropFilter) fail here instead of in the middle of a run.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelName } from '../schema/config';
import { MaskedSgd } from './masked-sgd';
import { buildModel } from './models';
import { PrunableNet } from './prunable-net';

/** Resolves to null when the step ran and produced finite weights, else to the error's message. */
export async function probeTraining(model: ModelName): Promise<string | null> {
  const net = new PrunableNet(buildModel(model, 1));
  const optimizer = new MaskedSgd(1e-4);
  try {
    tf.tidy(() => {
      const x = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 7);
      const y = tf.oneHot(tf.tensor1d([1, 2], 'int32'), 10);
      const { grads } = tf.variableGrads(
        () => tf.losses.softmaxCrossEntropy(y, net.model.apply(x) as tf.Tensor) as tf.Scalar,
        net.params,
      );
      optimizer.apply(net.params, grads, 0.01, () => null);
    });
    const values = await net.params[0]!.data();
    return values.every(Number.isFinite) ? null : 'training step produced non-finite weights';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    optimizer.dispose();
    net.dispose();
  }
}
