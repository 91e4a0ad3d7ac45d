import { describe, expect, it } from 'vitest';
import { MISSING_KEY, storedRunV0 } from '../test/stored-run-v0';
import { DEFAULT_CONFIG } from './config';
import {
  MIGRATIONS,
  readStoredRun,
  sameConfig,
  STORED_RUN_VERSION,
  storedRunSchema,
  toStoredRun,
  type SavedRun,
} from './stored-run';

function readRun(key: string, value: unknown): SavedRun {
  const read = readStoredRun(key, value);
  if (!('run' in read)) throw new Error(`damaged: ${read.damaged.reason}`);
  return read.run;
}

describe('stored runs', () => {
  it('read a format-0 record (no version, draws a tuple, a setting missing) into today’s run', () => {
    const { key, record } = storedRunV0();
    const run = readRun(key, record);
    expect(run.id).toBe(key);
    expect(run.checkpoint?.draws).toEqual({ dataOrder: 2046, prune: 0, bnRecalibration: 0 });
    // The setting the old save lacks has its default, in the run and in its checkpoint.
    expect(run.results.config[MISSING_KEY]).toBe(DEFAULT_CONFIG[MISSING_KEY]);
    expect(run.checkpoint?.results.config[MISSING_KEY]).toBe(DEFAULT_CONFIG[MISSING_KEY]);
    expect(run.results.config).toMatchObject({ dataset: 'synthetic', rewind: 'init', cycles: 2 });
    expect(run.checkpoint).toMatchObject({ stage: 'retrained', cycle: 1, globalEpoch: 2 });
    expect(run.checkpoint!.weights[0]).toBeInstanceOf(Float32Array);
    expect(run.checkpoint!.masks[0]).toBeInstanceOf(Uint8Array);
    expect(run.checkpoint!.rewindPoint![0]).toBeInstanceOf(Float32Array);
    // Written back, it is the current version and reads to the same run.
    const written = structuredClone(toStoredRun(run));
    expect(storedRunSchema.parse(written).version).toBe(STORED_RUN_VERSION);
    expect(readRun(key, written)).toEqual(run);
  });

  it('have one migration per version step', () => {
    expect(MIGRATIONS).toHaveLength(STORED_RUN_VERSION);
  });

  it('list a damaged record with its id, its savedAt where readable, and why; never throw', () => {
    const { key, record } = storedRunV0();
    const good = readRun(key, record);
    const cases: [unknown, RegExp][] = [
      ['garbage', /not a saved run/],
      [null, /not a saved run/],
      [[1, 2, 3], /not a saved run/],
      [{ ...good, results: undefined }, /\(results: missing\)/],
      [{ ...good, pinned: 'yes' }, /pinned: .*expected boolean/],
      [{ ...good, savedAt: 'yesterday' }, /savedAt/],
      [{ ...good, version: 99 }, /newer Pruning Lab \(format 99; this one reads up to 1\)/],
      [{ ...good, version: 'one' }, /version is not a number/],
      [{ ...good, results: { ...good.results, cycles: 'many' } }, /results\.cycles/],
      [{ ...good, checkpoint: { ...good.checkpoint, draws: [1, 2] } }, /checkpoint\.draws/],
      [
        { ...good, checkpoint: { ...good.checkpoint, weights: [[0.5, 0.25]] } },
        /checkpoint\.weights\.0: expected a Float32Array/,
      ],
      [{ ...good, results: { ...good.results, config: { lr: -1 } } }, /results\.config\.lr/],
    ];
    for (const [value, reason] of cases) {
      const read = readStoredRun('run:x', value);
      expect('damaged' in read, JSON.stringify(value)?.slice(0, 80)).toBe(true);
      if (!('damaged' in read)) continue;
      expect(read.damaged.id).toBe('run:x');
      expect(read.damaged.reason).toMatch(reason);
      const savedAt = (value as { savedAt?: unknown } | null)?.savedAt;
      expect(read.damaged.savedAt).toBe(typeof savedAt === 'number' ? savedAt : null);
    }
  });

  it('compare configs parsed: a missing default and another key order are the same settings', () => {
    const older = Object.fromEntries(
      Object.entries(DEFAULT_CONFIG).filter(([key]) => key !== MISSING_KEY),
    );
    const reordered = Object.fromEntries(Object.entries(older).reverse());
    expect(sameConfig(reordered, DEFAULT_CONFIG)).toBe(true);
    expect(sameConfig({ ...DEFAULT_CONFIG, layerOverrides: { fc1: 0.5 } }, DEFAULT_CONFIG)).toBe(
      false,
    );
    expect(sameConfig({ ...older, seed: 7 }, DEFAULT_CONFIG)).toBe(false);
    expect(() => sameConfig({ lr: -1 }, DEFAULT_CONFIG)).toThrow(/lr/);
  });
});
