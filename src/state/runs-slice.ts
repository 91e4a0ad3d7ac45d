/**
 * The run list: every run of this browser (saved as it goes, so an interrupted one survives a
 * reload), imported results files and shared runs. Pinned runs are overlaid in the compare
 * charts. The archive behind it is IndexedDB in the app, memory in tests.
 */
import type { StateCreator } from 'zustand';
import { ConfigError, fieldSentence, parseConfig, type ExperimentConfig } from '../schema/config';
import type { Results } from '../schema/results';
import { PRESET_BASE, presetById, presetConfig, type PresetSeeds } from './presets';
import type { SessionCheckpoint } from '../worker/protocol';
import {
  storageRefusal,
  type DamagedRun,
  type RunArchive,
  type RunSource,
  type SavedRun,
} from './run-archive';
import { runOutcome } from './run-labels';
import { decodeResults, parseResultsJson } from './results-link';
import type { AppState } from './store';

export interface RunsSlice {
  /** Newest first. */
  runs: readonly SavedRun[];
  /** Stored records that could not be read (shown with their reason, to be removed). */
  damagedRuns: readonly DamagedRun[];
  /** The outcome of the last import or shared-run link, for the run list to show. */
  runsNotice: { kind: 'error' | 'info'; message: string } | null;
  loadRuns(): Promise<void>;
  /** Saves the live run's results (called on every results update). */
  recordRun(results: Results): void;
  /** Keeps the live run's latest checkpoint with it (dropped once the run is finished). */
  recordCheckpoint(checkpoint: SessionCheckpoint): void;
  addRun(results: Results, source: RunSource, origin?: string): SavedRun;
  togglePin(id: string): void;
  /** Names a run (kept with it); an empty name takes the name away. */
  renameRun(id: string, name: string): void;
  /**
   * The listed run the main charts, the results table and the compression report show, read
   * only, instead of the live experiment; null shows the live experiment.
   */
  openedRunId: string | null;
  /** Shows a listed run in the main view (read only), or the live experiment again (null). */
  openRun(id: string | null): void;
  /** Removes a run, or a damaged record, from the list and the archive. */
  removeRun(id: string): void;
  /** Adds an imported results file, validated; a wrong file gets a message, nothing else. */
  importResultsFile(name: string, text: string): void;
  /**
   * Opens the `results` parameter of a share-results link: the run joins the list, pinned, and
   * is opened in the main view.
   */
  openSharedRun(data: string): Promise<SavedRun | null>;
  /**
   * Loads a run's settings (parsed: defaults for settings it predates) and runs them again from
   * scratch; settings that do not parse get a message in `runsNotice`, and nothing changes.
   */
  rerun(id: string): Promise<void>;
  setRunsNotice(notice: RunsSlice['runsNotice']): void;
  /** The guided experiment shown, and how far running it has got. */
  preset: PresetProgress | null;
  /** Why the last choice of a guided experiment was refused (locked settings), or null. */
  presetNotice: string | null;
  /**
   * Shows a guided experiment (or none). Under locked settings only the link's own one is
   * shown: a page link chooses it (`by: 'link'`), another choice is refused with a notice.
   */
  choosePreset(id: string | null, options?: { by?: 'link' }): void;
  /** Chooses the quick variant of the guided experiments (tiny data) or the full one. */
  setPresetQuick(quick: boolean): void;
  /** Chooses how many seeds each of the guided experiment's runs trains (repeats). */
  setPresetSeeds(seeds: PresetSeeds): void;
  /**
   * Trains each of the preset’s runs in turn (its settings over `base`: PRESET_BASE with the
   * current backend, or under locked settings the lecturer's settings, which are loaded again
   * afterwards) and pins exactly those runs for comparison. Stops if a run is reset. The quick
   * variant (not under locked settings) trains the same runs on the tiny synthetic data.
   */
  runPreset(base?: ExperimentConfig): Promise<void>;
}

export interface PresetProgress {
  id: string;
  /** How many of its runs have finished. */
  done: number;
  running: boolean;
  /** Whether it runs in its quick variant (see `QUICK_SETTINGS`). */
  quick: boolean;
  /** Seeds per run: 3 tells whether a gap between the runs exceeds their spread. */
  seeds: PresetSeeds;
  /** The run-list ids of its finished runs, in the preset's order. */
  runIds: readonly string[];
}

/** Says which run could not be saved and why ("storage is full"), and what to do. */
function notSavedMessage(run: SavedRun, error: unknown): string {
  const what =
    run.source === 'this browser'
      ? 'This run'
      : run.source === 'imported'
        ? `The imported run${run.origin ? ` “${run.origin}”` : ''}`
        : 'The shared run';
  const { why, full } = storageRefusal(error);
  return `${what} could not be saved in this browser: ${why}.${full ? ' Remove old runs to make room.' : ''}`;
}

/** The run list's id of a session's run (its start time is unique per session). */
export const liveRunId = (results: Results) => `run:${results.environment.startedAt}`;
const byNewest = (a: SavedRun, b: SavedRun) => b.savedAt - a.savedAt;

export const createRunsSlice =
  (archive: RunArchive): StateCreator<AppState, [], [], RunsSlice> =>
  (set, get) => {
    // Writes go to the archive in a task of their own (the latest version of each run), not
    // inside the worker-message handler that brought the update: serialising a checkpoint
    // there would lengthen that task.
    const pending = new Map<string, SavedRun>();
    /** Runs whose latest version the archive refused (storage full, blocked), by id. */
    const unsaved = new Map<string, SavedRun>();
    /** The latest write of each run; an older one's outcome no longer counts. */
    const writes = new Map<string, number>();
    let writeCount = 0;
    /** The notice a refused write showed, to take away once every run is saved. */
    let storageNotice: RunsSlice['runsNotice'] = null;
    // A full or blocked disk must not stop the run: it goes on, the run stays listed, what is
    // already saved stays as it was, and the list says what was not saved.
    const write = (run: SavedRun) => {
      const n = ++writeCount;
      writes.set(run.id, n);
      const latest = () => writes.get(run.id) === n;
      archive.put(run).then(
        () => {
          if (!latest()) return;
          writes.delete(run.id);
          unsaved.delete(run.id);
          if (unsaved.size > 0 || !storageNotice) return;
          if (get().runsNotice === storageNotice) set({ runsNotice: null });
          storageNotice = null;
        },
        (error: unknown) => {
          if (!latest() || !get().runs.some((r) => r.id === run.id)) return;
          unsaved.set(run.id, run);
          const message = notSavedMessage(run, error);
          if (get().runsNotice?.message === message) return;
          storageNotice = { kind: 'error', message };
          set({ runsNotice: storageNotice });
        },
      );
    };
    const flush = () => {
      for (const run of pending.values()) write(run);
      pending.clear();
    };
    const put = (run: SavedRun) => {
      set((s) => ({ runs: [run, ...s.runs.filter((r) => r.id !== run.id)].sort(byNewest) }));
      if (pending.size === 0) setTimeout(flush, 0);
      pending.set(run.id, run);
    };
    return {
      runs: [],
      damagedRuns: [],
      runsNotice: null,

      loadRuns: async () => {
        const stored = await archive.list().catch(() => ({ runs: [], damaged: [] }));
        set((s) => {
          const ids = new Set(s.runs.map((r) => r.id));
          return {
            runs: [...s.runs, ...stored.runs.filter((r) => !ids.has(r.id))].sort(byNewest),
            damagedRuns: stored.damaged,
          };
        });
      },

      recordRun: (results) => {
        if (!results.dense) return;
        const id = liveRunId(results);
        const existing = get().runs.find((r) => r.id === id);
        put({
          id,
          source: 'this browser',
          ...(existing?.name ? { name: existing.name } : {}),
          results,
          pinned: existing?.pinned ?? false,
          savedAt: existing?.savedAt ?? Date.now(),
          ...(existing?.checkpoint ? { checkpoint: existing.checkpoint } : {}),
        });
      },

      recordCheckpoint: (checkpoint) => {
        const id = liveRunId(checkpoint.results);
        const existing = get().runs.find((r) => r.id === id);
        const { complete } = runOutcome(checkpoint.results);
        const run: SavedRun = {
          id,
          source: 'this browser',
          ...(existing?.name ? { name: existing.name } : {}),
          pinned: existing?.pinned ?? false,
          savedAt: existing?.savedAt ?? Date.now(),
          results: checkpoint.results,
        };
        put(complete ? run : { ...run, checkpoint });
      },

      addRun: (results, source, origin) => {
        const run: SavedRun = {
          id: `${source}:${results.environment.startedAt}:${Date.now()}`,
          source,
          ...(origin ? { origin } : {}),
          results,
          pinned: true,
          savedAt: Date.now(),
        };
        put(run);
        return run;
      },

      togglePin: (id) => {
        const run = get().runs.find((r) => r.id === id);
        if (run) put({ ...run, pinned: !run.pinned });
      },

      renameRun: (id, name) => {
        const run = get().runs.find((r) => r.id === id);
        if (!run) return;
        const renamed: SavedRun = { ...run, name: name.trim() };
        if (!renamed.name) delete renamed.name;
        put(renamed);
      },

      openedRunId: null,
      openRun: (id) => {
        if (id !== null && !get().runs.some((r) => r.id === id)) return;
        set({ openedRunId: id });
      },

      removeRun: (id) => {
        set((s) => ({
          runs: s.runs.filter((r) => r.id !== id),
          damagedRuns: s.damagedRuns.filter((r) => r.id !== id),
          openedRunId: s.openedRunId === id ? null : s.openedRunId,
        }));
        pending.delete(id);
        unsaved.delete(id);
        // Removing makes room: the runs that could not be saved are written again.
        archive
          .remove(id)
          .then(() => {
            for (const run of unsaved.values()) {
              write(get().runs.find((r) => r.id === run.id) ?? run);
            }
          })
          .catch(() => {});
      },

      importResultsFile: (name, text) => {
        const parsed = parseResultsJson(text, `“${name}”`);
        if ('error' in parsed) {
          set({ runsNotice: { kind: 'error', message: parsed.error } });
          return;
        }
        get().addRun(parsed.results, 'imported', name);
        set({ runsNotice: { kind: 'info', message: `Imported “${name}” and pinned it.` } });
      },

      openSharedRun: async (data) => {
        const decoded = await decodeResults(data);
        if ('error' in decoded) {
          set({ runsNotice: { kind: 'error', message: decoded.error } });
          return null;
        }
        const existing = get().runs.find(
          (r) =>
            r.source === 'shared link' &&
            r.results.environment.startedAt === decoded.results.environment.startedAt,
        );
        const run = existing ?? get().addRun(decoded.results, 'shared link');
        get().openRun(run.id);
        set({
          runsNotice: {
            kind: 'info',
            message:
              'A shared run is shown above, read only, exactly as it was measured, and pinned ' +
              'in the comparison below. Press its Re-run to train the same settings here and ' +
              'compare.',
          },
        });
        return run;
      },

      rerun: async (id) => {
        const locked = get().lockRefusal('Re-run (which loads that run’s settings) is off');
        if (locked) return set({ runsNotice: { kind: 'error', message: locked } });
        const run = get().runs.find((r) => r.id === id);
        if (!run || get().busy) return;
        let config: ExperimentConfig;
        try {
          config = parseConfig(run.results.config);
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          set({
            runsNotice: {
              kind: 'error',
              message: `This run's settings cannot be used again: ${error.details.map((i) => fieldSentence(i)).join(' ')}`,
            },
          });
          return;
        }
        get().loadConfig(config);
        await get().run('runAll');
      },

      setRunsNotice: (runsNotice) => set({ runsNotice }),

      preset: null,
      presetNotice: null,
      choosePreset: (id, options = {}) => {
        if (get().preset?.running) return;
        const next = id && presetById(id) ? id : null;
        const locked =
          options.by !== 'link' && next !== (get().preset?.id ?? null)
            ? get().lockRefusal('only the guided experiment it names can be run')
            : null;
        if (locked) return set({ presetNotice: locked });
        const quick = get().preset?.quick ?? false;
        const seeds = get().preset?.seeds ?? 1;
        set({
          preset: next ? { id: next, done: 0, running: false, quick, seeds, runIds: [] } : null,
          presetNotice: null,
        });
      },

      setPresetQuick: (quick) => {
        const current = get().preset;
        if (current && !current.running) set({ preset: { ...current, quick } });
      },

      setPresetSeeds: (seeds) => {
        const current = get().preset;
        if (current && !current.running) set({ preset: { ...current, seeds } });
      },

      runPreset: async (base) => {
        const current = get().preset;
        const preset = presetById(current?.id);
        if (!current || !preset || current.running || get().busy) return;
        // A locked link's own experiment runs over the lecturer's settings, and leaves them.
        const locked = get().view.lock ? get().config : null;
        const start = base ?? locked ?? { ...PRESET_BASE, backend: get().config.backend };
        const quick = current.quick && !locked;
        const progress = (done: number, runIds: readonly string[]): PresetProgress => ({
          id: preset.id,
          done,
          running: true,
          quick: current.quick,
          seeds: current.seeds,
          runIds,
        });
        set({ preset: progress(0, []) });
        // The comparison shows exactly this experiment's runs.
        for (const run of get().runs) if (run.pinned) get().togglePin(run.id);
        try {
          const runIds: string[] = [];
          for (const [i, { settings }] of preset.runs.entries()) {
            const config = presetConfig(settings, start, { quick, seeds: current.seeds });
            get().loadConfig(config, { by: 'preset' });
            await get().run('runAll');
            const { results, status } = get();
            if (!results || !status?.done) return; // reset or failed: stop here
            const id = liveRunId(results);
            if (!get().runs.find((r) => r.id === id)?.pinned) get().togglePin(id);
            runIds.push(id);
            set({ preset: progress(i + 1, [...runIds]) });
          }
        } finally {
          if (locked) get().loadConfig(locked, { by: 'preset' });
          const now = get().preset;
          if (now?.id === preset.id) set({ preset: { ...now, running: false } });
        }
      },
    };
  };
