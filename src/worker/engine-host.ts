/**
 * The engine side of the protocol: owns the data cache, the backend and the current
 * ImpSession, and implements EngineApi. The worker entry exposes it; the in-process client
 * calls it directly (tests, or a browser without module workers); the CLI runs it in Node
 * (src/cli/run-experiment.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '../data/dataset';
import type { ImageChannels } from '../data/image-folder';
import { DATASET_REGISTRY } from '../core/datasets';
import { holdOutValidation } from '../data/validation';
import { ImpSession } from '../engine/imp-session';
import { modelToFiles, type ModelFiles } from '../engine/model-io';
import { measureThroughput } from '../engine/throughput';
import type { DatasetName, ExperimentConfig } from '../schema/config';
import { parseConfig } from '../schema/config';
import type { Results } from '../schema/results';
import type {
  BackendInfo,
  BackendRequest,
  EngineApi,
  HostEvent,
  Snapshot,
  UserDataSummary,
} from './protocol';
import { trainingRate, type RateMemory } from './training-rate';
import { createInspection } from './inspect-host';
import { inferenceBench } from './inference-host';

export interface HostEnvironment {
  runtime: 'browser' | 'node';
  loadDataset(
    name: DatasetName,
    onProgress: (fraction: number | null) => void,
    source?: DataSource,
  ): Promise<ImageDataset>;
  selectBackend(request: BackendRequest): Promise<BackendInfo>;
  /** Registers a callback for when the backend's device is lost (a GPU reset, a driver crash). */
  onBackendLost?(listener: (reason: string) => void): void;
  /** How long to wait for an aborted operation to unwind before abandoning it. */
  abortTimeoutMs?: number;
  /**
   * Where measured training rates are remembered (the browser's IndexedDB). Without it the
   * host measures none and trainingRate answers null (the CLI, most tests).
   */
  rateMemory?: RateMemory;
  progressEveryMs?: number;
  /** Where data sets opened from the user's files are parsed and kept (the browser's IndexedDB). */
  userData?: UserDataEnvironment;
}

/** What a data set is read from besides its name. */
export interface DataSource {
  /** Where the user's own files are (the config's `dataDir`; the CLI reads it). */
  dataDir?: string;
  /** For a set resized by the config (`images`): its imageSize and imageChannels. */
  image?: { size: number; channels: ImageChannels };
}

export interface UserDataEnvironment {
  open(
    files: readonly File[],
    onProgress: (fraction: number) => void,
    paths?: readonly string[],
  ): Promise<UserDataSummary>;
  list(): Promise<UserDataSummary[]>;
  remove(id: DatasetName): Promise<void>;
}

export function createEngineHost(env: HostEnvironment): EngineApi {
  const listeners: ((event: HostEvent) => void | Promise<void>)[] = [];
  /**
   * Deliveries on their way: a receiver across a worker boundary (a Comlink proxy) returns a
   * promise that resolves once the page has applied the event. Events travel on the proxy's
   * own port and a command's reply on the worker's, and the browser does not order the two,
   * so every reply waits for these first (`settled`).
   */
  const inFlight = new Set<Promise<void>>();
  const track = (delivery: void | Promise<void>) => {
    if (!delivery) return;
    // A receiver's failure is its own (it is reported where it runs); the run goes on.
    const settling: Promise<void> = Promise.resolve(delivery)
      .catch(() => {})
      .finally(() => inFlight.delete(settling));
    inFlight.add(settling);
  };
  const emit = (event: HostEvent) => listeners.forEach((listener) => track(listener(event)));
  /** Emits `event` and waits for every receiver that returns a promise. */
  const deliver = async (event: HostEvent) => {
    await Promise.all(listeners.map((listener) => listener(event)));
  };
  /** Resolves once every event emitted so far has reached its receivers. */
  const settled = async () => {
    while (inFlight.size > 0) await Promise.all(inFlight);
  };
  /** Loaded data sets, by name and (for the user's own files) where they came from. */
  const datasets = new Map<string, Promise<ImageDataset>>();
  let backend: { key: string; info: BackendInfo } | null = null;
  let config: ExperimentConfig | null = null;
  let session: ImpSession | null = null;
  let running: Promise<unknown> | null = null;
  /** The model after dense training (0) and after each cycle, of the current session. */
  let checkpoints = new Map<number, ModelFiles>();
  /** The network states of the current session, for the inspection views (inspect-host.ts). */
  const inspection = createInspection();

  function dataset(cfg: ExperimentConfig): Promise<ImageDataset> {
    const { dataset: name, dataDir } = cfg;
    const resized = DATASET_REGISTRY[name].resized === true;
    const image = resized ? { size: cfg.imageSize, channels: cfg.imageChannels } : undefined;
    // Removing a set forgets every copy of it (`name` alone, or `name:...`).
    const key = [name, dataDir, image && `${image.size}-${image.channels}`]
      .filter(Boolean)
      .join(':');
    let promise = datasets.get(key);
    if (!promise) {
      promise = env.loadDataset(
        name,
        (fraction) => emit({ type: 'progress', phase: 'load', cycle: 0, fraction }),
        { dataDir, image },
      );
      promise.catch(() => datasets.delete(key));
      datasets.set(key, promise);
    }
    return promise;
  }

  /** Forgets the loaded copies of `name` (every size of a resized set). */
  function forget(name: DatasetName): void {
    for (const key of [...datasets.keys()]) {
      if (key === name || key.startsWith(`${name}:`)) datasets.delete(key);
    }
  }

  /** Aborts the running operation; one stuck on a dead device is abandoned after a timeout. */
  async function stopRunning(): Promise<void> {
    if (!running) return;
    session?.abort();
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, env.abortTimeoutMs ?? 3000));
    await Promise.race([running.catch(() => {}), timeout]);
    running = null;
  }

  /** A training-rate measurement on its way, and sessions being set up (they exclude each other). */
  let measuring: Promise<unknown> = Promise.resolve();
  let configuring = 0;

  /** A fresh session on `cfg`, once a rate measurement in progress has finished. */
  async function newSession(cfg: ExperimentConfig): Promise<Snapshot> {
    configuring += 1;
    try {
      await measuring;
      return await openSession(cfg);
    } finally {
      configuring -= 1;
    }
  }

  async function openSession(cfg: ExperimentConfig): Promise<Snapshot> {
    await stopRunning();
    session?.dispose();
    session = null;
    checkpoints = new Map();
    inspection.clear();
    const key = `${cfg.backend}:${cfg.model}:${cfg.batchSize}`;
    if (!backend || backend.key !== key) {
      const request = { setting: cfg.backend, model: cfg.model, batch: cfg.batchSize };
      backend = { key, info: await env.selectBackend(request) };
    }
    // BIMP's validation split, seeded by the run's seed, where the config asks for one.
    const data = holdOutValidation(await dataset(cfg), cfg.validationSplit, cfg.seed);
    session = new ImpSession(cfg, data, {
      runtime: env.runtime,
      adapter: backend.info.adapter ?? null,
      onEvent: emit,
      progressEveryMs: env.progressEveryMs ?? 150,
      onCheckpoint: async (cycle, net) => {
        checkpoints.set(cycle, await modelToFiles(net.model));
        if (!session) return;
        const checkpoint = await session.checkpoint();
        inspection.keep(session, cycle, checkpoint);
        await deliver({ type: 'checkpoint', checkpoint });
      },
    });
    config = cfg;
    const snapshot = current();
    emit({ type: 'status', status: snapshot.status });
    emit({ type: 'results', results: snapshot.results });
    await settled();
    return snapshot;
  }

  /** The state of the current session (there must be one). */
  function current(): Snapshot {
    const { name, train, test } = session!.data;
    return {
      backend: backend!.info,
      dataset: { name, train: train.count, test: test.count },
      status: session!.status,
      results: session!.results,
    };
  }

  /**
   * Runs one command on the session. Its promise settles only after every event it emitted
   * (the final status and results among them) has been delivered, so a receiver that awaits
   * the command sees the session as the command left it.
   */
  function run(op: (s: ImpSession) => Promise<Results>): Promise<Results> {
    if (!session) return Promise.reject(new Error('No experiment is configured yet.'));
    if (running) return Promise.reject(new Error('Another operation is still running.'));
    const target = session;
    const promise = (async () => {
      try {
        await measuring; // a rate measurement must not share the backend with training
        return await op(target);
      } finally {
        await settled();
        running = null;
      }
    })();
    running = promise;
    return promise;
  }

  env.onBackendLost?.((reason) => {
    backend = null;
    const cfg = config;
    if (!cfg) return;
    // Start afresh on whatever works now; the model lived on the lost device.
    void newSession(cfg).then(
      (snapshot) => emit({ type: 'backend-lost', reason, backend: snapshot.backend }),
      (error: unknown) =>
        emit({
          type: 'backend-lost',
          reason: `${reason}; no other backend could start: ${error instanceof Error ? error.message : String(error)}`,
          backend: { backend: 'none', setting: cfg.backend, reason: 'no usable backend' },
        }),
    );
  });

  return {
    configure: (cfg) => newSession(parseConfig(cfg)),
    trainDense: () => run((s) => s.trainDense()),
    prune: () => run((s) => s.prune()),
    retrain: () => run((s) => s.retrain()),
    stepCycle: () => run((s) => s.stepCycle()),
    runAll: () => run((s) => s.runAll()),
    modelFiles: async (cycle) => checkpoints.get(cycle) ?? null,
    pause: () => session?.pause(),
    resume: () => session?.resume(),
    continueFrom: async (checkpoint) => {
      await newSession(parseConfig(checkpoint.results.config));
      session!.restore(checkpoint);
      inspection.keep(session!, checkpoint.cycle, checkpoint);
      await settled();
      return current();
    },
    reset: () => {
      if (!config) return Promise.reject(new Error('No experiment is configured yet.'));
      return newSession(config);
    },
    benchmark: async (request) => {
      if (running) throw new Error('Another operation is still running.');
      backend = null;
      const info = await env.selectBackend({
        setting: request.backend,
        model: request.model,
        batch: request.batch,
        threads: request.threads,
      });
      // Flags are read while kernels run, so setting them after the backend starts counts; an
      // unknown name throws (tfjs knows every flag it reads).
      for (const [flag, value] of Object.entries(request.flags ?? {})) tf.env().set(flag, value);
      const throughput = await measureThroughput(request);
      return { backend: info, throughput };
    },
    trainingRate: async ({ model, batch }) => {
      if (!env.rateMemory || running || configuring > 0 || !backend) return null;
      const measured = trainingRate(backend.info, model, batch, env.rateMemory);
      measuring = measured.catch(() => {});
      return measured;
    },
    inspect: (request) => inspection.inspect(session, request),
    sensitivity: async (cycle, onProgress) => {
      const record = await inspection.sensitivity(session, cycle, onProgress);
      await settled(); // the results that carry it have reached the page
      return record;
    },
    cancelSensitivity: () => inspection.cancelSensitivity(),
    inferenceBench: (request) =>
      inferenceBench(session, inspection.state(session, request.cycle), request),
    subscribe: (listener) => {
      listeners.push(listener);
    },
    openDataFiles: async (files, onProgress, paths) => {
      if (!env.userData) throw new Error('This engine keeps no data files (give "dataDir").');
      const summary = await env.userData.open(files, onProgress, paths);
      forget(summary.id); // the next session reads the new copy
      return summary;
    },
    userData: async () => (env.userData ? env.userData.list() : []),
    removeUserData: async (id) => {
      await env.userData?.remove(id);
      forget(id);
    },
  };
}
