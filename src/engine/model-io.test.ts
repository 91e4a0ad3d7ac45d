import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { buildModel } from './models';
import { modelFromFiles, modelToFiles } from './model-io';
import { PrunableNet } from './prunable-net';

describe('model files (TF.js layers format)', () => {
  it('round-trips a pruned model: same weights, same zeros, same predictions', async () => {
    const net = new PrunableNet(buildModel('lenet5', 3));
    net.setMasks(
      net.kernels.map((k) => Uint8Array.from({ length: k.size }, (_, i) => (i % 3 === 0 ? 0 : 1))),
    );
    const files = await modelToFiles(net.model);
    const manifest = JSON.parse(files.modelJson) as {
      format: string;
      weightsManifest: { paths: string[] }[];
    };
    expect(manifest.format).toBe('layers-model');
    expect(manifest.weightsManifest[0]!.paths).toEqual(['weights.bin']);
    expect(files.weights.byteLength).toBe(4 * net.totalParams);
    const loaded = await modelFromFiles(files);
    const original = net.model.getWeights().map((w) => Array.from(w.dataSync()));
    const restored = loaded.getWeights().map((w) => Array.from(w.dataSync()));
    expect(restored).toEqual(original);
    expect(restored[0]!.filter((_, i) => i % 3 === 0).every((v) => v === 0)).toBe(true);
    const x = tf.randomNormal([2, 28, 28, 1], 0, 1, 'float32', 1);
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(
      Array.from((net.model.predict(x) as tf.Tensor).dataSync()),
    );
    net.dispose();
    loaded.dispose();
  });
});
