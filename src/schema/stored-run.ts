/**
 * The stored-run format: one record per run of the run list, kept in IndexedDB (structured
 * clone, so weights and masks stay typed arrays). Pure zod. Every record is read through
 * `readStoredRun`: its version's migrations run in turn (version n -> n + 1), then the current
 * schema; a record that fails is reported as damaged, with the reason in plain words.
 * `docs/results.md` ("Saved runs") describes the format.
 */
import { z } from 'zod';
import { parseRecordedConfig } from './config';
import { resultsSchema } from './results';

/** The version `toStoredRun` writes. Records without a `version` field are version 0. */
export const STORED_RUN_VERSION = 1;

export const RUN_SOURCES = ['this browser', 'imported', 'shared link'] as const;
export type RunSource = (typeof RUN_SOURCES)[number];

/**
 * A typed array of one kind, by its tag rather than `instanceof`, so a value structured-cloned
 * from another realm (a worker, IndexedDB in a test environment) is recognised too.
 */
function typedArray<T>(name: string) {
  return z.custom<T>(
    (value) =>
      ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === `[object ${name}]`,
    { error: `expected a ${name}` },
  );
}
const float32Arrays = z.array(typedArray<Float32Array>('Float32Array'));

/** How many numbers each seeded random stream of a session has drawn. */
export const drawsSchema = z.object({
  dataOrder: z.int().min(0),
  prune: z.int().min(0),
  bnRecalibration: z.int().min(0),
});

/**
 * Where a session continues from (the end of dense training or of a whole cycle): the results
 * so far, every model weight, the masks (1 keeps a weight), the weights rewinding restores, and
 * how far each random stream has got.
 */
export const checkpointSchema = z.object({
  results: resultsSchema,
  stage: z.enum(['trained', 'retrained']),
  cycle: z.int().min(0),
  globalEpoch: z.int().min(0),
  weights: float32Arrays,
  masks: z.array(typedArray<Uint8Array>('Uint8Array')),
  rewindPoint: float32Arrays.nullable(),
  draws: drawsSchema,
});
export type StoredCheckpoint = z.infer<typeof checkpointSchema>;

/** A run of the run list, as the app holds it (a stored record without its version). */
export const savedRunSchema = z.object({
  id: z.string().min(1),
  source: z.enum(RUN_SOURCES),
  /** Where it came from, for imports (the file name). */
  origin: z.string().optional(),
  /** The name the user gave it in the run list (records saved before names have none). */
  name: z.string().min(1).max(200).optional(),
  results: resultsSchema,
  pinned: z.boolean(),
  /** ms since epoch of the last write, for ordering. */
  savedAt: z.number(),
  /** Where an unfinished run of this browser can be continued from (its last whole cycle). */
  checkpoint: checkpointSchema.optional(),
});
export type SavedRun = z.infer<typeof savedRunSchema>;

/** The record written for each run: the run and the format's version. */
export const storedRunSchema = savedRunSchema.extend({ version: z.literal(STORED_RUN_VERSION) });
export type StoredRun = z.infer<typeof storedRunSchema>;

/** A record that could not be read: the list shows it with the reason and offers Remove. */
export interface DamagedRun {
  id: string;
  /** ms since epoch of its last write, where that much was readable. */
  savedAt: number | null;
  reason: string;
}

type StoredRecord = { [key: string]: unknown };
const isRecord = (value: unknown): value is StoredRecord =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * MIGRATIONS[n] turns a version-n record into a version-(n + 1) record. Each step only
 * reshapes what it knows and leaves the rest to the schema, which names what is still wrong.
 */
export const MIGRATIONS: readonly ((record: StoredRecord) => StoredRecord)[] = [
  // 0 -> 1: a version field; the checkpoint's random streams are named, not a positional
  // [data order, prune, BN recalibration] tuple.
  (record) => {
    const { checkpoint } = record;
    if (!isRecord(checkpoint) || !Array.isArray(checkpoint.draws)) {
      return { ...record, version: 1 };
    }
    const draws: unknown[] = checkpoint.draws;
    const named =
      draws.length === 3
        ? { dataOrder: draws[0], prune: draws[1], bnRecalibration: draws[2] }
        : draws;
    return { ...record, version: 1, checkpoint: { ...checkpoint, draws: named } };
  },
];

/** The record of `run` as it is written: the current version. */
export function toStoredRun(run: SavedRun): StoredRun {
  return { ...run, version: STORED_RUN_VERSION };
}

/** At most `max` of zod's issues, as `path: message`, and how many more there are. */
function describeIssues(error: z.ZodError, max = 3): string {
  const lines = error.issues.slice(0, max).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : 'the record';
    const missing = issue.code === 'invalid_type' && / received undefined$/.test(issue.message);
    return `${path}: ${missing ? 'missing' : issue.message}`;
  });
  const more = error.issues.length - max;
  return more > 0 ? `${lines.join('; ')}; and ${more} more` : lines.join('; ');
}

/**
 * Reads one stored value (kept under `key`) into a run, migrating it from its version first;
 * never throws. The run's id is its key, so removing it removes what was read.
 */
export function readStoredRun(
  key: string,
  value: unknown,
): { run: SavedRun } | { damaged: DamagedRun } {
  const damaged = (reason: string) => ({
    damaged: {
      id: key,
      savedAt: isRecord(value) && typeof value.savedAt === 'number' ? value.savedAt : null,
      reason,
    },
  });
  if (!isRecord(value)) return damaged('It is not a saved run.');
  const version = value.version ?? 0;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    return damaged('Its format version is not a number.');
  }
  if (version > STORED_RUN_VERSION) {
    return damaged(
      `It was saved by a newer Pruning Lab (format ${version}; this one reads up to ${STORED_RUN_VERSION}).`,
    );
  }
  let record = value;
  for (let v = version; v < STORED_RUN_VERSION; v++) record = MIGRATIONS[v]!(record);
  // The current schema, less the version (which the migrations have brought up to date).
  const parsed = savedRunSchema.safeParse(record);
  if (!parsed.success) {
    return damaged(`It does not fit the saved-run format (${describeIssues(parsed.error)}).`);
  }
  return { run: { ...parsed.data, id: key } };
}

/** `a` and `b` hold the same JSON data, whatever the order of their keys. */
function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const entries = Object.entries(a);
  const other = new Map(Object.entries(b));
  return (
    entries.length === other.size &&
    entries.every(([k, v]) => other.has(k) && sameData(v, other.get(k)))
  );
}

/**
 * Whether two configs are the same experiment: equal once both are parsed (defaults filled in
 * for keys an older save lacks), whatever their key order. Throws ConfigError for one that
 * does not parse.
 */
export function sameConfig(a: unknown, b: unknown): boolean {
  return sameData(parseRecordedConfig(a), parseRecordedConfig(b));
}
