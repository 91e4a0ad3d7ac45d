/**
 * Where finished and interrupted runs are kept: IndexedDB in the app (idb-keyval, one entry
 * per run), memory in tests. A run is written whenever its results change (every epoch), so a
 * reload or a crash loses at most the epoch in progress. Every record is written in the current
 * stored-run format and read back through its schema (src/schema/stored-run.ts), older formats
 * migrated; one that cannot be read is listed as damaged, never thrown on. A refused write
 * (storage full) rejects and changes nothing stored; the run list says what was not saved.
 */
import { createStore, del, entries, set, type UseStore } from 'idb-keyval';
import { readStoredRun, toStoredRun, type DamagedRun, type SavedRun } from '../schema/stored-run';

export type { DamagedRun, RunSource, SavedRun } from '../schema/stored-run';

/** What the archive holds: the runs it could read, and the records it could not. */
export interface ArchiveListing {
  runs: SavedRun[];
  damaged: DamagedRun[];
}

export interface RunArchive {
  list(): Promise<ArchiveListing>;
  put(run: SavedRun): Promise<void>;
  remove(id: string): Promise<void>;
}

/**
 * Why the archive refused a write, in words: "storage is full" for a quota error (IndexedDB's
 * QuotaExceededError; Firefox's older NS_ERROR_DOM_QUOTA_REACHED), else the browser's reason.
 */
export function storageRefusal(error: unknown): { why: string; full: boolean } {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  if (name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED') {
    return { why: 'storage is full', full: true };
  }
  const message = error instanceof Error || error instanceof DOMException ? error.message : '';
  return {
    why: `the browser refused to store it (${[name, message].filter(Boolean).join(': ') || String(error)})`,
    full: false,
  };
}

/** Reads stored values (with their keys) through the stored-run schema. */
export function readArchive(stored: Iterable<readonly [IDBValidKey, unknown]>): ArchiveListing {
  const listing: ArchiveListing = { runs: [], damaged: [] };
  for (const [key, value] of stored) {
    const read = readStoredRun(String(key), value);
    if ('run' in read) listing.runs.push(read.run);
    else listing.damaged.push(read.damaged);
  }
  return listing;
}

/** An archive in memory; `stored` are records as IndexedDB would hold them, by key. */
export function memoryArchive(stored: Iterable<readonly [string, unknown]> = []): RunArchive {
  const records = new Map<string, unknown>(stored);
  return {
    list: async () => readArchive([...records].map(([k, v]) => [k, structuredClone(v)] as const)),
    put: async (run) => void records.set(run.id, structuredClone(toStoredRun(run))),
    remove: async (id) => void records.delete(id),
  };
}

/** The browser's archive; falls back to memory where IndexedDB is unavailable. */
export function indexedDbArchive(): RunArchive {
  if (typeof indexedDB === 'undefined') return memoryArchive();
  const store: UseStore = createStore('pruning-lab-runs', 'runs');
  return {
    list: async () => readArchive(await entries<IDBValidKey, unknown>(store)),
    put: (run) => set(run.id, toStoredRun(run), store),
    remove: (id) => del(id, store),
  };
}
