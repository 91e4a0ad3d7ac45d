/**
 * The app's handle on the engine. One interface, two implementations: the Web Worker client
 * (the app) and an in-process client over the same host (store tests need no Worker). The
 * worker client supervises its worker: one that dies is replaced on the next command.
 */
import { proxy, wrap, type Endpoint, type Remote } from 'comlink';
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
    inspect: (request) => remote.inspect(request),
    sensitivity: (cycle, onProgress) => remote.sensitivity(cycle, proxy(onProgress)),
    cancelSensitivity: () => void remote.cancelSensitivity(),
    inferenceBench: (request) => remote.inferenceBench(request),
    subscribe: (listener) => void remote.subscribe(proxy(listener)),
    openDataFiles: (files, onProgress, paths) =>
      remote.openDataFiles(files, proxy(onProgress), paths),
    userData: () => remote.userData(),
    removeUserData: (id) => remote.removeUserData(id),
    dispose,
  };
}

/** The engine's worker died or stopped answering: its session and model are gone. */
export class EngineCrashedError extends Error {
  constructor(readonly reason: string) {
    super(`The engine stopped: ${reason}.`);
    this.name = 'EngineCrashed';
  }
}

/** How a command in progress checks that the worker is alive. */
export interface WorkerWatch {
  /** How often it asks the worker (a ping, answered between two training batches). */
  pingEveryMs: number;
  /** A worker that has not answered a ping for this long is taken for dead and replaced. */
  deadAfterMs: number;
}

/**
 * A training batch of the biggest model on a slow CPU takes a second or two, and the worker
 * answers between batches; a quarter of a minute without an answer is a dead worker.
 */
export const WORKER_WATCH: WorkerWatch = { pingEveryMs: 2000, deadAfterMs: 15000 };

/** A started engine worker, as the supervisor needs it (a Web Worker; a port in tests). */
export interface EngineEndpoint extends Endpoint {
  terminate(): void;
}

const STOPPED_ANSWERING =
  'its worker stopped answering (it may have run out of memory, or been closed)';

/**
 * An EngineClient over engine workers that `start` starts, one at a time. A worker that fails
 * (its `error` event, then no answer to a ping), whose message cannot be read (`messageerror`),
 * or that does not answer a ping for `deadAfterMs` while a command runs, is terminated: the
 * commands in progress reject with EngineCrashedError, and the next command starts a fresh
 * worker (event receivers subscribed again). Pause and resume never start one.
 */
export function superviseEngine(
  start: () => EngineEndpoint,
  init: (remote: Remote<WorkerApi>) => void,
  watch: WorkerWatch = WORKER_WATCH,
): EngineClient {
  type Listener = Parameters<EngineApi['subscribe']>[0];
  const listeners: Listener[] = [];

  interface Engine {
    remote: Remote<WorkerApi>;
    /** Rejects when the worker is taken for dead. */
    dead: Promise<never>;
    kill(reason: string): void;
    /** Commands in progress, and whether a failure is being checked. */
    pending: number;
    checking: boolean;
    /** When the unanswered ping was sent, or null. */
    pingSentAt: number | null;
    timer: ReturnType<typeof setInterval> | null;
  }
  let engine: Engine | null = null;

  const tick = (e: Engine) => {
    if (e.pingSentAt !== null) {
      if (performance.now() - e.pingSentAt > watch.deadAfterMs) e.kill(STOPPED_ANSWERING);
      return;
    }
    const sentAt = performance.now();
    e.pingSentAt = sentAt;
    e.remote.ping().then(
      () => {
        if (e.pingSentAt === sentAt) e.pingSentAt = null;
        e.checking = false;
        if (e.pending === 0) stopWatch(e);
      },
      () => {},
    );
  };
  const startWatch = (e: Engine) => {
    e.timer ??= setInterval(() => tick(e), watch.pingEveryMs);
  };
  const stopWatch = (e: Engine) => {
    if (e.timer !== null && !e.checking) {
      clearInterval(e.timer);
      e.timer = null;
      e.pingSentAt = null;
    }
  };

  const launch = (): Engine => {
    const endpoint = start();
    const remote = wrap<WorkerApi>(endpoint);
    let reject: (error: Error) => void = () => {};
    const dead = new Promise<never>((_, r) => (reject = r));
    dead.catch(() => {}); // only commands in progress hear of it
    const e: Engine = {
      remote,
      dead,
      pending: 0,
      checking: false,
      pingSentAt: null,
      timer: null,
      kill: (reason) => {
        if (engine === e) engine = null;
        e.checking = false;
        stopWatch(e);
        endpoint.terminate();
        reject(new EngineCrashedError(reason));
      },
    };
    // An uncaught error need not be fatal: the worker is dead only if it then stops answering.
    endpoint.addEventListener('error', () => {
      e.checking = true;
      startWatch(e);
      tick(e);
    });
    endpoint.addEventListener('messageerror', () =>
      e.kill('a message from its worker could not be read'),
    );
    init(remote);
    for (const listener of listeners) void remote.subscribe(listener);
    return e;
  };
  engine = launch();

  /** Runs a command on the live worker (a fresh one after a crash), racing its death. */
  const command = <T>(run: (remote: Remote<WorkerApi>) => Promise<T>): Promise<T> => {
    const e = (engine ??= launch());
    e.pending += 1;
    startWatch(e);
    return Promise.race([run(e.remote), e.dead]).finally(() => {
      e.pending -= 1;
      if (e.pending === 0) stopWatch(e);
    });
  };

  // The client's methods over whichever worker is live: createRemoteClient's list, each call
  // going through `command`.
  const supervised = new Proxy({} as Remote<EngineApi>, {
    get: (_, key) => {
      if (key === 'subscribe') {
        return async (listener: Listener) => {
          listeners.push(listener);
          if (engine) await engine.remote.subscribe(listener);
        };
      }
      if (key === 'pause' || key === 'resume') {
        return async () => engine?.remote[key]();
      }
      return (...args: unknown[]) =>
        command((remote) => {
          const method = remote[key as keyof EngineApi] as unknown as (
            ...a: unknown[]
          ) => Promise<unknown>;
          return method(...args);
        });
    },
  });
  return createRemoteClient(supervised, () => {
    engine?.kill('the page closed it');
    engine = null;
  });
}

/**
 * Starts the engine in a module Web Worker, supervised (superviseEngine): a worker that dies
 * (out of memory, closed) is replaced by a fresh one on the next command. `dataUrl`: where the
 * app serves its MNIST files (resolved against the page, so the app works under any path of a
 * static host).
 */
export function createWorkerClient(dataUrl: string, watch?: WorkerWatch): EngineClient {
  return superviseEngine(
    () =>
      new Worker(new URL('./engine.worker.ts', import.meta.url), {
        type: 'module',
        name: 'pruning-lab-engine',
      }),
    (remote) => void remote.init({ dataUrl }),
    watch,
  );
}
