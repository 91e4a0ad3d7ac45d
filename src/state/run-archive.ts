/**
 * Where finished and interrupted runs are kept: IndexedDB in the app (idb-keyval, one entry
 * per run), memory in tests. A run is written whenever its results change (every epoch), so a
 * reload or a crash loses at most the epoch in progress.
 */
import { createStore, del, entries, set, type UseStore } from 'idb-keyval';
import type { Results } from '../schema/results';
import type { SessionCheckpoint } from '../worker/protocol';

export type RunSource = 'this browser' | 'imported' | 'shared link';

export interface SavedRun {
  id: string;
  source: RunSource;
  /** Where it came from, for imports (the file name). */
  origin?: string;
  results: Results;
  pinned: boolean;
  /** ms since epoch of the last write, for ordering. */
  savedAt: number;
  /** Where an unfinished run of this browser can be continued from (its last whole cycle). */
  checkpoint?: SessionCheckpoint;
}

export interface RunArchive {
  list(): Promise<SavedRun[]>;
  put(run: SavedRun): Promise<void>;
  remove(id: string): Promise<void>;
}

export function memoryArchive(initial: SavedRun[] = []): RunArchive {
  const runs = new Map(initial.map((r) => [r.id, r]));
  return {
    list: async () => [...runs.values()].map((r) => structuredClone(r)),
    put: async (run) => void runs.set(run.id, structuredClone(run)),
    remove: async (id) => void runs.delete(id),
  };
}

/** The browser's archive; falls back to memory where IndexedDB is unavailable. */
export function indexedDbArchive(): RunArchive {
  if (typeof indexedDB === 'undefined') return memoryArchive();
  const store: UseStore = createStore('pruning-lab-runs', 'runs');
  return {
    list: async () => (await entries<string, SavedRun>(store)).map(([, run]) => run),
    put: (run) => set(run.id, run, store),
    remove: (id) => del(id, store),
  };
}
