import * as tf from '@tensorflow/tfjs';
import { expose } from 'comlink';
import { describe, expect, it } from 'vitest';
import { syntheticDataset } from '../data/synthetic';
import { memoryArchive } from '../state/run-archive';
import { createAppStore } from '../state/store';
import { tinyConfig } from '../test/fixtures';
import { testClient } from '../test/in-process';
import { EngineCrashedError, superviseEngine, type EngineEndpoint } from './engine-client';
import { createEngineHost } from './engine-host';
import type { WorkerApi } from './protocol';

const WATCH = { pingEveryMs: 50, deadAfterMs: 1500 };

/**
 * Engines behind MessageChannels, as the app's workers are behind their ports: `started[i]`
 * is the i-th, whose `stop()` makes it go silent as a closed or killed worker does.
 */
function portEngines() {
  const started: { endpoint: EngineEndpoint & EventTarget; stop(): void; host: WorkerApi }[] = [];
  const start = (): EngineEndpoint => {
    const { port1, port2 } = new MessageChannel();
    const engine = createEngineHost({
      runtime: 'node',
      progressEveryMs: 0,
      loadDataset: async () => syntheticDataset(),
      selectBackend: async ({ setting }) => {
        await tf.setBackend('cpu');
        return { backend: 'cpu', setting, reason: 'tests run on the CPU reference backend' };
      },
    });
    // A dead worker neither answers nor sends events.
    let alive = true;
    const host: WorkerApi = {
      ...engine,
      subscribe: (listener) => engine.subscribe((event) => (alive ? listener(event) : undefined)),
      init: () => {},
      ping: () => true,
    };
    expose(host, port1);
    const endpoint = Object.assign(port2, { terminate: () => port2.close() });
    started.push({
      endpoint,
      host,
      stop: () => {
        alive = false;
        port1.close();
        engine.pause(); // and the "dead" engine stops computing here
      },
    });
    return endpoint;
  };
  return { start, started };
}

const until = async (condition: () => boolean, ms = 60_000) => {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('the supervised engine worker', () => {
  it('a worker that stops answering ends its command with a message; Resume continues on a fresh one to the numbers of an unbroken run', async () => {
    const config = tinyConfig({ cycles: 3 });
    const engines = portEngines();
    const client = superviseEngine(engines.start, () => {}, WATCH);
    const store = createAppStore(client, config, [], memoryArchive());
    const running = store.getState().run('runAll');
    // Killed once cycle 1 is saved.
    await until(() => (store.getState().runs[0]?.checkpoint?.results.cycles.length ?? 0) >= 1);
    const saved = store.getState().runs[0]!.checkpoint!.results.cycles.length;
    engines.started[0]!.stop();
    await running;

    expect(store.getState().error).toEqual({
      name: 'Engine stopped',
      message:
        'The engine stopped: its worker stopped answering (it may have run out of memory, or ' +
        'been closed). What it had done since the last whole cycle is lost. The run is saved ' +
        `up to cycle ${saved}: press Resume in the Runs panel to continue it from there. The ` +
        'next command starts a fresh engine.',
    });
    const { busy, status, results } = store.getState();
    expect({ busy, status, results }).toEqual({ busy: null, status: null, results: null });

    const [run] = store.getState().runs;
    await store.getState().continueRun(run!.id);
    expect(engines.started.length).toBeGreaterThan(1); // on a fresh engine
    expect(store.getState().error).toBeNull();
    expect(store.getState().status?.done).toBe(true);
    const resumed = store.getState().results!;
    expect(resumed.cycles).toHaveLength(3);

    // The same settings run without a break give the same numbers.
    const reference = createAppStore(testClient(), config);
    await reference.getState().run('runAll');
    const unbroken = reference.getState().results!;
    expect(resumed.cycles.map((c) => [c.sparsity, c.afterPrune, c.afterRetrain])).toEqual(
      unbroken.cycles.map((c) => [c.sparsity, c.afterPrune, c.afterRetrain]),
    );
    client.dispose();
  });

  it('an uncaught error alone is not a crash; an unreadable message is', async () => {
    const engines = portEngines();
    const client = superviseEngine(engines.start, () => {}, WATCH);
    const configured = client.configure(tinyConfig());
    engines.started[0]!.endpoint.dispatchEvent(new Event('error'));
    await expect(configured).resolves.toMatchObject({ status: { stage: 'untrained' } });
    await new Promise((r) => setTimeout(r, 3 * WATCH.pingEveryMs)); // it answered the check
    await expect(client.trainDense()).resolves.toMatchObject({ dense: { epochs: [{}] } });
    expect(engines.started.length).toBe(1);

    const stuck = client.stepCycle();
    engines.started[0]!.endpoint.dispatchEvent(new Event('messageerror'));
    await expect(stuck).rejects.toEqual(
      new EngineCrashedError('a message from its worker could not be read'),
    );
    engines.started[0]!.stop();
    // Pause does not start an engine; the next command does.
    client.pause();
    expect(engines.started.length).toBe(1);
    await expect(client.configure(tinyConfig())).resolves.toHaveProperty('status');
    expect(engines.started.length).toBe(2);
    client.dispose();
  });
});
