/**
 * Saved runs in stored-run format 0: exactly as the run list wrote them before the format had a
 * version (up to commit 3621749). No `version` field; the checkpoint's random streams are a
 * positional [data order, prune, BN recalibration] tuple; the config is whatever the app had
 * then. The interfaces below are that code's `SavedRun` and `SessionCheckpoint`, frozen here.
 *
 * `stored-run-v0.json` is a record that code wrote to the archive (a tiny synthetic run with
 * rewinding to init, stopped after cycle 1 of 2), with `bnRecalibration` removed from both its
 * configs to stand for a save from before that setting existed. JSON has no typed arrays: each
 * is written as `{ $typed, values }`, cut to its first 4 values (the format fixes no length).
 */
import type { ExperimentConfig } from '../schema/config';
import type { Results } from '../schema/results';
import type { SavedRun } from '../schema/stored-run';
import v0 from './stored-run-v0.json';

/** A config of an older app: some of today's settings did not exist yet. */
type ConfigV0 = Partial<ExperimentConfig>;
type ResultsV0 = Omit<Results, 'config'> & { config: ConfigV0 };

export interface SessionCheckpointV0 {
  results: ResultsV0;
  stage: 'trained' | 'retrained';
  cycle: number;
  globalEpoch: number;
  weights: Float32Array[];
  masks: Uint8Array[];
  rewindPoint: Float32Array[] | null;
  /** Numbers drawn so far from the data-order, prune and recalibration streams. */
  draws: [number, number, number];
}

export interface SavedRunV0 {
  id: string;
  source: 'this browser' | 'imported' | 'shared link';
  origin?: string;
  results: ResultsV0;
  pinned: boolean;
  savedAt: number;
  checkpoint?: SessionCheckpointV0;
}

/** The setting the fixture's configs lack; its default is what a reader must fill in. */
export const MISSING_KEY = 'bnRecalibration';

function revive(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revive);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  const typed = new Map(entries);
  if (typed.get('$typed') === 'Float32Array') return Float32Array.from(typed.get('values'));
  if (typed.get('$typed') === 'Uint8Array') return Uint8Array.from(typed.get('values'));
  return Object.fromEntries(entries.map(([k, v]) => [k, revive(v)]));
}

/** The fixture record (typed arrays rebuilt) and the key it was stored under. */
export function storedRunV0(): { key: string; record: unknown } {
  return { key: v0.id, record: revive(v0) };
}

/** Drops `key` from a config, as a save from before that setting existed would lack it. */
function older(config: ExperimentConfig, key: keyof ExperimentConfig): ConfigV0 {
  return Object.fromEntries(Object.entries(config).filter(([k]) => k !== key));
}

/**
 * `run` as format-0 code wrote it (`set(run.id, run)`: no version, the draws a tuple), with
 * `missing` dropped from its configs: the whole record, real weights included, for resuming.
 */
export function asStoredV0(
  run: SavedRun,
  missing: keyof ExperimentConfig = MISSING_KEY,
): SavedRunV0 {
  const results = (r: Results): ResultsV0 => ({ ...r, config: older(r.config, missing) });
  const { checkpoint } = run;
  return {
    id: run.id,
    source: run.source,
    ...(run.origin ? { origin: run.origin } : {}),
    results: results(run.results),
    pinned: run.pinned,
    savedAt: run.savedAt,
    ...(checkpoint
      ? {
          checkpoint: {
            results: results(checkpoint.results),
            stage: checkpoint.stage,
            cycle: checkpoint.cycle,
            globalEpoch: checkpoint.globalEpoch,
            weights: checkpoint.weights,
            masks: checkpoint.masks,
            rewindPoint: checkpoint.rewindPoint,
            draws: [
              checkpoint.draws.dataOrder,
              checkpoint.draws.prune,
              checkpoint.draws.bnRecalibration,
            ],
          },
        }
      : {}),
  };
}
