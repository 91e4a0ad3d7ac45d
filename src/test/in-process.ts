/** An in-process engine for store and component tests: synthetic data, the CPU backend. */
import * as tf from '@tensorflow/tfjs';
import { syntheticDataset } from '../data/synthetic';
import type { HostEnvironment } from '../worker/engine-host';
import { createInProcessClient } from '../worker/in-process-client';

export function testClient(overrides: Partial<HostEnvironment> = {}) {
  return createInProcessClient({
    runtime: 'node',
    progressEveryMs: 0,
    loadDataset: async (name) => {
      if (name !== 'synthetic') throw new Error(`test client has only synthetic data, not ${name}`);
      return syntheticDataset();
    },
    selectBackend: async ({ setting }) => {
      await tf.setBackend('cpu');
      return { backend: 'cpu', setting, reason: 'tests run on the CPU reference backend' };
    },
    ...overrides,
  });
}
