/**
 * Sweeps: a list of experiment configs from one file. The file is either a JSON array of
 * configs, or { "base": {...}, "grid": { field: [values, ...], ... } }, which expands to every
 * combination of the grid's values (the first field varying slowest) over the base config.
 * Each run is named by its index and what it sets, e.g. "003-criterion=lamp-retrainSchedule=ft".
 */
import { z } from 'zod';
import { ConfigError, formatIssues, parseConfig, type ExperimentConfig } from '../schema/config';

const sweepFileSchema = z.union([
  z.array(z.record(z.string(), z.unknown())).min(1),
  z.strictObject({
    base: z.record(z.string(), z.unknown()).default({}),
    grid: z.record(z.string(), z.array(z.unknown()).min(1)),
  }),
]);

export interface SweepRun {
  name: string;
  /** The fields this run sets beyond the base (the grid's, or a list entry's). */
  varied: Record<string, unknown>;
  config: ExperimentConfig;
}

function cartesian(grid: Record<string, unknown[]>): Record<string, unknown>[] {
  return Object.entries(grid).reduce<Record<string, unknown>[]>(
    (combos, [key, values]) => combos.flatMap((c) => values.map((v) => ({ ...c, [key]: v }))),
    [{}],
  );
}

const label = (varied: Record<string, unknown>) =>
  Object.entries(varied)
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join('-')
    .replace(/[^A-Za-z0-9=._-]+/g, '_');

/** Expands a sweep file into validated runs; every bad config is named, then ConfigError. */
export function expandSweep(input: unknown): SweepRun[] {
  const parsed = sweepFileSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError([
      'a sweep is an array of configs or { "base": {...}, "grid": { "field": [values] } }',
      ...formatIssues(parsed.error),
    ]);
  }
  const file = parsed.data;
  const entries = Array.isArray(file)
    ? file.map((entry) => ({ varied: entry, raw: entry }))
    : cartesian(file.grid).map((varied) => ({ varied, raw: { ...file.base, ...varied } }));
  const errors: string[] = [];
  const runs: SweepRun[] = [];
  entries.forEach(({ varied, raw }, i) => {
    const name = `${String(i + 1).padStart(3, '0')}${Object.keys(varied).length ? `-${label(varied)}` : ''}`;
    try {
      runs.push({ name, varied, config: parseConfig(raw) });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      errors.push(...error.issues.map((issue) => `run ${name}: ${issue}`));
    }
  });
  if (errors.length > 0) throw new ConfigError(errors);
  return runs;
}
