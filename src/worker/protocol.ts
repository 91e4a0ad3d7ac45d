/**
 * The worker protocol: types only. The app talks to the engine through `EngineApi`
 * (exposed with Comlink); the engine talks back through `EngineEvent`s. Only plain data and
 * typed arrays cross the boundary, never a tf.Tensor. Errors arrive as Error objects with
 * `name` and `message` (Comlink's error serialisation).
 */
import type { EngineEvent, SessionStatus } from '../engine/events';
import type { SessionCheckpoint } from '../engine/imp-session';
import type { ModelFiles } from '../engine/model-io';
import type { Throughput } from '../engine/throughput';
import type { BackendSetting, DatasetName, ExperimentConfig, ModelName } from '../schema/config';
import type { Results } from '../schema/results';
import type { InspectRequest, InspectResult, SensitivityRecord } from './inspect-protocol';
import type { InferenceBenchRequest, InferenceBenchView } from './inference-protocol';

export type * from './inspect-protocol';
export type * from './inference-protocol';
export type { EngineEvent, Phase, ProgressEvent, SessionStatus, Stage } from '../engine/events';

export interface BackendInfo {
  /** The tfjs backend in use: 'webgpu', 'webgl', 'wasm' or 'cpu'. */
  backend: string;
  setting: BackendSetting;
  /** Why this backend, including why faster ones were passed over. */
  reason: string;
  /** The GPU adapter, where there is one (vendor / architecture / description). */
  adapter?: string;
  /** True when the adapter is a software fallback (e.g. SwiftShader). */
  fallbackAdapter?: boolean;
  /** CPU threads the backend computes on (WASM: more than 1 when cross-origin isolated). */
  threads?: number;
  /** WASM: whether Pruning Lab's SIMD training kernels run on tfjs's heap. */
  simdKernels?: boolean;
  /** Threads the lab's own WASM kernels run on (the calling thread and its helpers). */
  kernelThreads?: number;
}

export interface Snapshot {
  backend: BackendInfo;
  /** The data set the session trains on, and its size in images. */
  dataset: { name: string; train: number; test: number };
  status: SessionStatus;
  results: Results;
}

export interface BenchmarkRequest {
  backend: BackendSetting;
  model: ModelName;
  batch: number;
  /** The images' [height, width, channels] (default MNIST's 28 × 28 × 1). */
  input?: [number, number, number];
  /** WASM threads (applies when the WASM backend is first initialised in this worker). */
  threads?: number;
  /** TF.js environment flags set for this case, e.g. { WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE: 30 }. */
  flags?: Record<string, number | boolean>;
  blocks?: number;
  blockMs?: number;
  /** Profile this many steps kernel by kernel after timing (0 or absent: none). */
  profileSteps?: number;
}

export interface BenchmarkResult {
  backend: BackendInfo;
  throughput: Throughput;
}

/** Training throughput of a model at a batch size on the backend in use, on this machine. */
export interface TrainingRate {
  backend: string;
  threads: number;
  model: ModelName;
  batch: number;
  /** Training images a second (the lab's real training step, median of timed blocks). */
  samplesPerSecond: number;
  /** ISO time of the measurement. */
  measuredAt: string;
  /** True when it was remembered from an earlier measurement in this browser. */
  remembered: boolean;
}

/** How a backend is picked: the setting, the model and batch it must train well. */
export interface BackendRequest {
  setting: BackendSetting;
  model: ModelName;
  batch: number;
  threads?: number;
}

/** What the worker reports: the engine's events, plus a lost backend (e.g. a GPU reset). */
export type { SessionCheckpoint };

export type HostEvent =
  | EngineEvent
  /** The run reached the end of dense training or of a cycle: what continuing it needs. */
  | { type: 'checkpoint'; checkpoint: SessionCheckpoint }
  | {
      type: 'backend-lost';
      /** Why the device was lost, as the browser said it. */
      reason: string;
      /** The backend the engine switched to; the run was reset. */
      backend: BackendInfo;
    };

export type EngineCommand = 'trainDense' | 'prune' | 'retrain' | 'stepCycle' | 'runAll';

export interface EngineApi {
  /** Applies a config: picks the backend, loads data, starts a fresh session. */
  configure(config: ExperimentConfig): Promise<Snapshot>;
  trainDense(): Promise<Results>;
  prune(): Promise<Results>;
  retrain(): Promise<Results>;
  stepCycle(): Promise<Results>;
  runAll(): Promise<Results>;
  /** Pauses the running operation at its next batch. */
  pause(): void;
  resume(): void;
  /** A fresh session on the checkpoint's settings, continued from it (a run saved mid-way). */
  continueFrom(checkpoint: SessionCheckpoint): Promise<Snapshot>;
  /** Stops whatever runs and discards the model; the config stays. */
  reset(): Promise<Snapshot>;
  /**
   * The model (TF.js layers format) as it was after dense training (cycle 0) or after cycle j,
   * or null when the run has not got there.
   */
  modelFiles(cycle: number): Promise<ModelFiles | null>;
  /** Times training steps on a backend (for `npm run bench`); the next configure re-picks. */
  benchmark(request: BenchmarkRequest): Promise<BenchmarkResult>;
  /**
   * The training throughput of `model` at `batch` on the backend in use (for the time
   * estimate): remembered per browser, else measured (about 1.5 s; a few steps of a big
   * model). Null before a backend is chosen or while an operation runs.
   */
  trainingRate(request: { model: ModelName; batch: number }): Promise<TrainingRate | null>;
  /**
   * Summaries of a network state of the current session (dense training or a cycle) for the
   * inspection views, only the parts asked for; null when that state is not kept.
   */
  inspect(request: InspectRequest): Promise<InspectResult | null>;
  /**
   * Layer sensitivity of the state after `cycle` (each layer pruned alone, no retraining),
   * kept in the results' `sensitivity`; `onProgress(done, total)` per evaluation. Rejects with
   * AbortedError when cancelled (cancelSensitivity) or when the session ends.
   */
  sensitivity(
    cycle: number,
    onProgress: (done: number, total: number) => void,
  ): Promise<SensitivityRecord>;
  cancelSensitivity(): void;
  /**
   * Times inference of the state after `cycle` (0: dense) on the WASM kernels, dense against
   * CSR, at batch 1 and 128 (and tfjs for reference), beside the compression report's
   * theoretical speed-up; null when that state is not kept. A few seconds on the engine's
   * thread (rounds of about 250 ms per build and batch).
   */
  inferenceBench(request: InferenceBenchRequest): Promise<InferenceBenchView | null>;
  /**
   * Registers a receiver of engine events. On a `checkpoint` event the run waits for the promise
   * a receiver returns before it goes on (the CLI writes that checkpoint's model files first).
   * Every command's promise (configure, the run commands, continueFrom, reset) settles only
   * after the promises its events' receivers returned: across a worker, where events and
   * replies travel on different ports, the page has applied the final status and results
   * before the command resolves.
   */
  subscribe(listener: (event: HostEvent) => void | Promise<void>): void;
  /**
   * Parses data files the user opened (a CIFAR-10 / CIFAR-100 binary archive or its batch
   * files, the four IDX files of the MNIST family, or images in class folders: a .zip, or a
   * folder's files with their paths in it) on the engine's thread, reporting the fraction
   * read, and keeps the parsed set in this browser; a wrong or damaged file rejects with an
   * Error in words and keeps nothing. Where the environment keeps no user data (Node), rejects.
   * `paths`: each file's path inside a dropped folder (`shapes/circle/0.png`); without it, a
   * file's webkitRelativePath (a folder picker's) where it has one.
   */
  openDataFiles(
    files: readonly File[],
    onProgress: (fraction: number) => void,
    paths?: readonly string[],
  ): Promise<UserDataSummary>;
  /** The data sets kept from the user's files (none where the environment keeps none). */
  userData(): Promise<UserDataSummary[]>;
  /** Forgets the kept copy of `id`. */
  removeUserData(id: DatasetName): Promise<void>;
}

/** A data set opened from the user's own file and kept in this browser (src/worker/user-data.ts). */
export interface UserDataSummary {
  id: DatasetName;
  label: string;
  /** The file it was read from, and its size. */
  fileName: string;
  fileBytes: number;
  /** What the parsed set takes in this browser's storage. */
  storedBytes: number;
  train: number;
  test: number;
  savedAt: number;
  /** An image folder's classes (its class folders' names, by label). */
  classNames?: string[];
  /** An image folder without a test folder: 20% of each class held out as the test split. */
  heldOut?: boolean;
}

/** What the Web Worker exposes: the engine plus a first call that says where data lives. */
export interface WorkerApi extends EngineApi {
  /** `dataUrl`: absolute URL of the folder holding the MNIST files, on the page's origin. */
  init(options: { dataUrl: string }): void;
  /** Answers at once (between two training batches): the page's check that it is alive. */
  ping(): true;
}
