/**
 * One run loop for the CLI: configure the engine host, let it run everything, and write what
 * its checkpoint events hand over. Layout under `out`: results.json at the end, and the model
 * after dense training and after every cycle in models/dense/ and models/cycle-<j>/
 * (model.json + weights.bin, TF.js layers format), each written before the next cycle starts.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WEIGHTS_FILE } from '../engine/model-io';
import type { ExperimentConfig } from '../schema/config';
import type { Results } from '../schema/results';
import { toCsv } from '../schema/results-table';
import { summaryRows } from '../schema/seed-stats';
import type { EngineApi, SessionCheckpoint } from '../worker/protocol';

export type Log = (line: string) => void;

function pct(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

/** The folder of a checkpoint's model under `out`: models/dense (cycle 0) or models/cycle-<j>. */
export function modelDir(out: string, cycle: number): string {
  return join(out, 'models', cycle === 0 ? 'dense' : `cycle-${cycle}`);
}

/** The line logged when the run reaches a checkpoint, read from its results. */
function checkpointLine({ cycle, results }: SessionCheckpoint): string {
  if (cycle === 0) {
    const gmp = results.config.regime === 'gmp';
    const sparsity = results.dense!.epochs.at(-1)?.sparsity ?? 0;
    return (
      `${gmp ? 'trained with GMP' : 'dense'}: test accuracy ${pct(results.dense!.final.testAccuracy)}` +
      validation(results.dense!.final) +
      (gmp ? `, sparsity ${pct(sparsity)}` : '')
    );
  }
  const record = results.cycles.find((c) => c.cycle === cycle)!;
  return (
    `cycle ${cycle}: sparsity ${pct(record.sparsity)}, after prune ${pct(record.afterPrune.testAccuracy)}` +
    (record.afterRetrain
      ? `, after retrain ${pct(record.afterRetrain.testAccuracy)}${validation(record.afterRetrain)}`
      : '')
  );
}

/** " (validation 97.10%)" where the run held images out, else nothing. */
function validation(evaluation: { validationAccuracy?: number }): string {
  return evaluation.validationAccuracy === undefined
    ? ''
    : ` (validation ${pct(evaluation.validationAccuracy)})`;
}

/**
 * Runs experiments one after another on `host` (which keeps its data and backend between
 * them). The returned function configures the host, calls its runAll, writes each checkpoint's
 * model files under `out` as the host reports it (the run waits for the write), and finally
 * results.json.
 */
export function createExperimentRunner(
  host: EngineApi,
  log: Log,
): (config: ExperimentConfig, out: string) => Promise<Results> {
  let out: string | null = null;
  host.subscribe(async (event) => {
    if (event.type !== 'checkpoint' || out === null) return;
    const { cycle } = event.checkpoint;
    const files = await host.modelFiles(cycle);
    if (!files) throw new Error(`The engine host has no model for checkpoint ${cycle}.`);
    const dir = modelDir(out, cycle);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'model.json'), files.modelJson);
    await writeFile(join(dir, WEIGHTS_FILE), files.weights);
    log(checkpointLine(event.checkpoint));
  });
  return async (config, runOut) => {
    const snapshot = await host.configure(config);
    log(`backend: ${snapshot.backend.backend} (${snapshot.backend.reason})`);
    const { name, train, test } = snapshot.dataset;
    log(`data: ${name}, ${train} train / ${test} test images`);
    const start = performance.now();
    out = runOut;
    try {
      const results = await host.runAll();
      await mkdir(runOut, { recursive: true });
      const path = join(runOut, 'results.json');
      await writeFile(path, `${JSON.stringify(results, null, 2)}\n`);
      log(`wrote ${path} in ${((performance.now() - start) / 1000).toFixed(1)} s`);
      return results;
    } finally {
      out = null;
    }
  };
}

/** The seeds a config runs with: seed, seed + 1, … (repeats of them). */
export function repeatSeeds(config: ExperimentConfig): number[] {
  return Array.from({ length: config.repeats }, (_, i) => config.seed + i);
}

/**
 * Runs `config` once per seed (see repeatSeeds). With one seed this is `run(config, out)`. With
 * more, each seed's run goes to <out>/seed-<s>/ (its results.json and models), and <out> gets
 * results.json with every seed's run (the first seed's, its `repeats` the others) and
 * summary.csv: mean, std, min, max and n over the seeds, per cycle and metric.
 */
export async function runRepeats(
  run: (config: ExperimentConfig, out: string) => Promise<Results>,
  config: ExperimentConfig,
  out: string,
  log: Log,
): Promise<Results> {
  const seeds = repeatSeeds(config);
  if (seeds.length === 1) return run(config, out);
  const runs: Results[] = [];
  for (const [i, seed] of seeds.entries()) {
    log(`seed ${seed} (${i + 1} of ${seeds.length})`);
    runs.push(await run({ ...config, seed }, join(out, `seed-${seed}`)));
  }
  const [first, ...repeats] = runs;
  const results: Results = { ...first!, repeats };
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(join(out, 'summary.csv'), toCsv(summaryRows(results)));
  log(`wrote ${join(out, 'results.json')} (${seeds.length} seeds) and summary.csv`);
  return results;
}
