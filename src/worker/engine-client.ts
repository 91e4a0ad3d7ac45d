/**
 * The app's handle on the engine. One interface, two implementations: the Web Worker client
 * (the app) and an in-process client over the same host (store tests need no Worker).
 */
import { proxy, wrap, type Remote } from 'comlink';
import type { EngineApi, HostEvent, WorkerApi } from './protocol';

export type EngineClient = Omit<EngineApi, 'subscribe'> & {
  subscribe(listener: (event: HostEvent) => void): void;
  dispose(): void;
};

/**
 * An EngineClient over a Comlink remote of an engine host (the worker's, or one across a
 * MessageChannel in tests): events come back through a proxied listener, on a port of its own.
 */
export function createRemoteClient(remote: Remote<EngineApi>, dispose: () => void): EngineClient {
  return {
    configure: (config) => remote.configure(config),
    trainDense: () => remote.trainDense(),
    prune: () => remote.prune(),
    retrain: () => remote.retrain(),
    stepCycle: () => remote.stepCycle(),
    runAll: () => remote.runAll(),
    pause: () => void remote.pause(),
    resume: () => void remote.resume(),
    reset: () => remote.reset(),
    modelFiles: (cycle) => remote.modelFiles(cycle),
    continueFrom: (checkpoint) => remote.continueFrom(checkpoint),
    benchmark: (request) => remote.benchmark(request),
    trainingRate: (request) => remote.trainingRate(request),
    subscribe: (listener) => void remote.subscribe(proxy(listener)),
    dispose,
  };
}

/**
 * Starts the engine in a module Web Worker. `dataUrl`: where the app serves its MNIST files
 * (resolved against the page, so the app works under any path of a static host).
 */
export function createWorkerClient(dataUrl: string): EngineClient {
  const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), {
    type: 'module',
    name: 'pruning-lab-engine',
  });
  const remote: Remote<WorkerApi> = wrap<WorkerApi>(worker);
  void remote.init({ dataUrl });
  return createRemoteClient(remote, () => worker.terminate());
}
