/**
 * `npm run imp -- --config <file.json> --out <dir> --inference-bench [...]`: after the run,
 * times inference of its networks on the WASM kernels, dense against CSR, at batch 1 and 128
 * (the engine host's inferenceBench, which the app's "Inference speed" view asks too), prints a
 * table beside the compression report's theoretical speed-up and writes
 * <dir>/inference-bench.json.
 *
 * Which networks: every state the run kept (dense, then each cycle), or with
 * `--inference-sparsities 0.9,0.98` the trained dense network pruned by global magnitude to
 * each of those sparsities in one shot (no retraining: speed depends on the masks only, and a
 * researcher asks "how fast at 90%?" rather than "at cycle 7"). `--bench-rounds N` (default 5)
 * timed rounds of `--bench-round-ms` (default 250) per build and batch.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Results } from '../schema/results';
import { ConfigError } from '../schema/config';
import type { EngineApi, InferenceBenchView } from '../worker/protocol';
import type { Log } from './run-experiment';

export interface InferenceBenchArgs {
  /** One-shot sparsities of the dense network, or null for the run's own states. */
  sparsities: number[] | null;
  rounds: number;
  roundMs: number;
  batches: number[];
}

const positiveInt = (text: string | undefined, name: string, fallback: number): number => {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError([`${name} must be a whole number ≥ 1`]);
  return n;
};

/** Reads the inference-bench options; throws ConfigError on a bad value. */
export function inferenceBenchArgs(values: {
  'inference-sparsities'?: string;
  'bench-rounds'?: string;
  'bench-round-ms'?: string;
  'bench-batches'?: string;
}): InferenceBenchArgs {
  const list = (text: string) => text.split(',').map((s) => s.trim());
  let sparsities: number[] | null = null;
  if (values['inference-sparsities'] !== undefined) {
    sparsities = list(values['inference-sparsities']).map((s) => (s === '' ? NaN : Number(s)));
    if (sparsities.length === 0 || sparsities.some((s) => !(s >= 0 && s < 1)))
      throw new ConfigError([
        `--inference-sparsities must be numbers in [0, 1), e.g. 0.9,0.98 (got ${values['inference-sparsities']})`,
      ]);
  }
  const batches =
    values['bench-batches'] === undefined
      ? [1, 128]
      : list(values['bench-batches']).map((b) => positiveInt(b, '--bench-batches', 1));
  return {
    sparsities,
    rounds: positiveInt(values['bench-rounds'], '--bench-rounds', 5),
    roundMs: positiveInt(values['bench-round-ms'], '--bench-round-ms', 250),
    batches,
  };
}

const fixed = (x: number, digits = 0) =>
  x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The lines printed for one benchmark: a row per batch, every round, the layers' formats. */
export function benchLines(view: InferenceBenchView): string[] {
  const what =
    view.prunedTo === null
      ? view.cycle === 0
        ? 'dense network'
        : `after cycle ${view.cycle}`
      : `dense network pruned to ${fixed(100 * view.prunedTo, 1)}% (global magnitude, one shot)`;
  const lines = [
    `${view.model} ${what}: sparsity ${fixed(100 * view.sparsity, 2)}%, theoretical speed-up ` +
      `${fixed(view.theoreticalSpeedup, 2)}× (${view.theoreticalFrom === 'report' ? 'compression report' : 'FLOPs of these masks'})`,
    `  layers: ${view.layers.map((l) => `${l.name} ${fixed(100 * l.density, 1)}% alive → ${l.single}/${l.batch}`).join(', ')}`,
  ];
  for (const b of view.batches) {
    const rounds = (r: { rounds: number[] }) => r.rounds.map((x) => fixed(x)).join(' ');
    lines.push(
      `  batch ${b.batch}: dense ${fixed(b.dense.best)}/s, CSR ${fixed(b.sparse.best)}/s, ` +
        `measured ${fixed(b.speedup, 2)}× (median ${fixed(b.medianSpeedup, 2)}×)` +
        (b.tfjs ? `, tfjs ${view.tfjsBackend} ${fixed(b.tfjs.best)}/s` : ''),
      `    rounds (samples/s): dense ${rounds(b.dense)} | CSR ${rounds(b.sparse)}` +
        (b.tfjs ? ` | tfjs ${rounds(b.tfjs)}` : ''),
    );
  }
  return lines;
}

/**
 * Benchmarks the finished run on `host` as `args` say, logs each, writes
 * `<out>/inference-bench.json` and returns the views.
 */
export async function runInferenceBench(
  host: EngineApi,
  results: Results,
  args: InferenceBenchArgs,
  out: string,
  log: Log,
): Promise<InferenceBenchView[]> {
  const requests = args.sparsities
    ? args.sparsities.map((sparsity) => ({ cycle: 0, sparsity }))
    : [0, ...results.cycles.map((c) => c.cycle)].map((cycle) => ({ cycle }));
  const views: InferenceBenchView[] = [];
  for (const request of requests) {
    const view = await host.inferenceBench({
      ...request,
      batches: args.batches,
      rounds: args.rounds,
      roundMs: args.roundMs,
    });
    if (!view) throw new Error(`The engine host keeps no network for cycle ${request.cycle}.`);
    benchLines(view).forEach((line) => log(line));
    views.push(view);
  }
  const path = join(out, 'inference-bench.json');
  await writeFile(path, `${JSON.stringify(views, null, 2)}\n`);
  log(`wrote ${path}`);
  return views;
}
