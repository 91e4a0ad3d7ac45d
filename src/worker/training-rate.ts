/**
 * The training throughput behind the time estimate: the lab's real training step timed on the
 * backend in use (engine/throughput.ts), once per backend, thread count, model and batch, and
 * remembered per browser (IndexedDB in the worker; read back through a schema).
 */
import { get, set } from 'idb-keyval';
import { z } from 'zod';
import { measureThroughput } from '../engine/throughput';
import { MODELS, type ModelName } from '../schema/config';
import type { BackendInfo, TrainingRate } from './protocol';

const storedRate = z.object({
  backend: z.string(),
  threads: z.int().min(1),
  model: z.enum(MODELS),
  batch: z.int().min(1),
  samplesPerSecond: z.number().positive(),
  measuredAt: z.string(),
});
type StoredRate = z.infer<typeof storedRate>;

/** Where measured rates are kept between measurements (page loads, in the browser). */
export interface RateMemory {
  get(key: string): Promise<StoredRate | undefined>;
  set(key: string, rate: StoredRate): Promise<void>;
}

/** The browser's memory: IndexedDB (idb-keyval), anything unreadable counted as absent. */
export const indexedDbRateMemory: RateMemory = {
  get: async (key) => {
    const parsed = storedRate.safeParse(await get(key).catch(() => undefined));
    return parsed.success ? parsed.data : undefined;
  },
  set: (key, rate) => set(key, rate).catch(() => {}),
};

/** A memory for one engine's lifetime (tests). */
export function inMemoryRateMemory(): RateMemory {
  const rates = new Map<string, StoredRate>();
  return {
    get: async (key) => rates.get(key),
    set: async (key, rate) => void rates.set(key, rate),
  };
}

/**
 * Untimed training before the measurement, in milliseconds. With one warm-up step only, the
 * blocks timed code the browser had not yet optimized: the default run's estimate in headless
 * Chromium on a 2-core machine read 2 min 20 s and 3 min 50 s for a run of about 80 s
 * (LeNet-5 on Fashion-MNIST), 45 s and 1 min 40 s for one of about 35 s (LeNet-300-100 on
 * MNIST); after 600 ms of warm-up, 1 min 30 s twice and 35 s / 30 s.
 */
const WARMUP_MS = 600;

/**
 * The rate of `model` at `batch` on `backend` (which must be the active tfjs backend): the
 * remembered one, else measured now (warm-up for WARMUP_MS, then 3 blocks of at least 200 ms
 * each: about 1.5 s, a few steps of a big model) and remembered.
 */
export async function trainingRate(
  backend: BackendInfo,
  model: ModelName,
  batch: number,
  memory: RateMemory,
): Promise<TrainingRate> {
  const threads = backend.threads ?? 1;
  // v2: measured after WARMUP_MS; a rate remembered from the one-step warm-up is measured again.
  const key = `training-rate-v2:${backend.backend}:${threads}:${model}:${batch}`;
  const known = await memory.get(key);
  if (known) return { ...known, remembered: true };
  const { samplesPerSecond } = await measureThroughput({
    model,
    batch,
    warmupSteps: 1,
    warmupMs: WARMUP_MS,
    blocks: 3,
    blockMs: 200,
  });
  const rate: StoredRate = {
    backend: backend.backend,
    threads,
    model,
    batch,
    samplesPerSecond,
    measuredAt: new Date().toISOString(),
  };
  await memory.set(key, rate);
  return { ...rate, remembered: false };
}
