/** An in-process engine for store and component tests: synthetic data, the CPU backend. */
import * as tf from '@tensorflow/tfjs';
import { expose, wrap } from 'comlink';
import { syntheticDataset } from '../data/synthetic';
import { createRemoteClient, type EngineClient } from '../worker/engine-client';
import { createEngineHost, type HostEnvironment } from '../worker/engine-host';
import { createInProcessClient } from '../worker/in-process-client';
import type { EngineApi } from '../worker/protocol';

function testEnvironment(overrides: Partial<HostEnvironment>): HostEnvironment {
  return {
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
  };
}

export function testClient(overrides: Partial<HostEnvironment> = {}) {
  return createInProcessClient(testEnvironment(overrides));
}

/**
 * The same engine host behind Comlink across a MessageChannel, as the app's worker client has
 * it: events come back on a port of their own, unordered with the commands' replies.
 */
export function testClientAcrossPort(overrides: Partial<HostEnvironment> = {}): EngineClient {
  const { port1, port2 } = new MessageChannel();
  expose(createEngineHost(testEnvironment(overrides)), port1);
  return createRemoteClient(wrap<EngineApi>(port2), () => {
    port1.close();
    port2.close();
  });
}
