/**
 * The run as the app sees it: backend, session status, live progress, results, and the
 * commands that drive the engine. Actions live next to the state they change.
 */
import type { StateCreator } from 'zustand';
import type { Results, RunResults } from '../schema/results';
import { EngineCrashedError, type EngineClient } from '../worker/engine-client';
import type {
  BackendInfo,
  EngineCommand,
  HostEvent,
  ProgressEvent,
  SessionStatus,
  Snapshot,
} from '../worker/protocol';
import { liveRunId } from './runs-slice';
import type { AppState } from './store';

export interface ShownError {
  name: string;
  message: string;
}

export interface RunSlice {
  backend: BackendInfo | null;
  status: SessionStatus | null;
  results: Results | null;
  progress: ProgressEvent | null;
  /** The command running now, or 'configure' while the engine sets up. */
  busy: EngineCommand | 'configure' | 'reset' | null;
  paused: boolean;
  error: ShownError | null;
  /** Wall-clock ms of the last finished command. */
  lastCommandMs: number | null;
  /**
   * While Run all trains an experiment with `repeats` > 1: which seed's run is training (0-based)
   * of how many, and the seed. Meanwhile `results` is every seed's run so far (the first seed's,
   * the others in `repeats`).
   */
  repeat: { index: number; count: number; seed: number } | null;
  applyEvent(event: HostEvent): void;
  configure(): Promise<void>;
  run(command: EngineCommand): Promise<void>;
  pause(): void;
  resume(): void;
  reset(): Promise<void>;
  dismissError(): void;
  /** Continues a saved, unfinished run from its last checkpoint, then runs it to the end. */
  continueRun(id: string): Promise<void>;
  /** The model after dense training (0) or cycle j, in TF.js layers format, or null. */
  modelFiles(cycle: number): Promise<{ modelJson: string; weights: Uint8Array } | null>;
}

function toShownError(error: unknown): ShownError {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

const isAbort = (error: unknown) => error instanceof Error && error.name === 'AbortedError';

export const createRunSlice =
  (client: EngineClient): StateCreator<AppState, [], [], RunSlice> =>
  (set, get) => {
    /** The finished seeds' runs of the repeated experiment in progress (none otherwise). */
    let seedsDone: RunResults[] = [];
    /** The live session's results, with the finished seeds' runs before it. */
    const withSeedsDone = (results: Results | null): Results | null =>
      results && seedsDone.length > 0
        ? { ...seedsDone[0]!, repeats: [...seedsDone.slice(1), results] }
        : results;
    const applySnapshot = (snapshot: Snapshot) =>
      set({
        backend: snapshot.backend,
        status: snapshot.status,
        results: withSeedsDone(snapshot.results),
        progress: null,
      });

    /**
     * Run all for `repeats` > 1: the configured session (the first seed) runs, then the engine
     * is configured again with each next seed and runs. A reset or a failure stops it there,
     * keeping the seeds that finished. Afterwards the engine holds the last seed's session, so
     * the settings count as not applied: the next command configures them afresh.
     */
    const runSeeds = async () => {
      const config = get().config;
      const count = config.repeats;
      try {
        for (let index = 0; index < count; index++) {
          const seed = config.seed + index;
          set({ repeat: { index, count, seed } });
          if (index > 0) {
            const previous = get().results;
            if (!get().status?.done || !previous) return;
            const { repeats, ...first } = previous;
            seedsDone = [first, ...(repeats ?? [])];
            applySnapshot(await client.configure({ ...config, seed }));
          }
          await client.runAll();
        }
      } finally {
        seedsDone = [];
        set({ repeat: null });
        get().configLeft();
      }
    };

    /**
     * Shows a command's failure. A crashed engine (EngineCrashedError) took the session with it:
     * the run is forgotten here (the next command configures the fresh engine it starts) and the
     * message says what Resume in the Runs panel can continue from.
     */
    const failed = (error: unknown) => {
      if (!(error instanceof EngineCrashedError)) return set({ error: toShownError(error) });
      const results = get().results;
      const saved = results && get().runs.find((r) => r.id === liveRunId(results))?.checkpoint;
      const done = saved?.results.cycles.length ?? 0;
      const where = done === 0 ? 'the end of dense training' : `cycle ${done}`;
      set({
        status: null,
        results: null,
        progress: null,
        error: {
          name: 'Engine stopped',
          message:
            `${error.message} What it had done since the last whole cycle is lost. ` +
            (saved
              ? `The run is saved up to ${where}: press Resume in the Runs panel to continue it from there.`
              : 'Nothing of this run was saved to resume from: press Run all to start it again.') +
            ' The next command starts a fresh engine.',
        },
      });
    };

    const ensureConfigured = async () => {
      if (!get().configDirty && get().status) return;
      const config = get().config;
      applySnapshot(await client.configure(config));
      get().configApplied(config);
    };

    return {
      backend: null,
      status: null,
      results: null,
      progress: null,
      busy: null,
      paused: false,
      error: null,
      lastCommandMs: null,
      repeat: null,

      applyEvent: (event) => {
        switch (event.type) {
          case 'progress':
            set({ progress: event });
            break;
          case 'status':
            set({ status: event.status });
            break;
          case 'results':
            set({ results: withSeedsDone(event.results) });
            break;
          case 'checkpoint':
            // A later seed's run is saved with the first seed's (through `results`); only the
            // first seed's run can be resumed from a checkpoint.
            if (seedsDone.length === 0) get().recordCheckpoint(event.checkpoint);
            break;
          case 'backend-lost':
            set({
              backend: event.backend,
              error: {
                name: 'BackendLost',
                message:
                  `The ${get().backend?.backend ?? 'GPU'} device was lost (${event.reason}). ` +
                  `The engine switched to ${event.backend.backend} and the run was reset; ` +
                  'press Run all to start again.',
              },
            });
            get().configApplied(get().config);
            break;
        }
      },

      configure: async () => {
        if (get().busy) return;
        set({ busy: 'configure', error: null });
        try {
          await ensureConfigured();
        } catch (error) {
          failed(error);
        } finally {
          set({ busy: null, progress: null });
        }
      },

      run: async (command) => {
        if (get().busy) return;
        set({ busy: command, error: null, paused: false });
        get().openRun(null); // a command acts on the live experiment: show it
        const start = performance.now();
        try {
          await ensureConfigured();
          // The results arrive as events while the command runs, and the command resolves only
          // once its last events (final status and results) are applied (see EngineApi's
          // subscribe); setting the returned copy too would only re-render every chart again.
          if (command === 'runAll' && get().config.repeats > 1) await runSeeds();
          else await client[command]();
          set({ lastCommandMs: performance.now() - start });
        } catch (error) {
          if (!isAbort(error)) failed(error);
        } finally {
          set({ busy: null, paused: false, progress: null });
        }
      },

      pause: () => {
        if (!get().busy || get().paused) return;
        client.pause();
        set({ paused: true });
      },

      resume: () => {
        if (!get().paused) return;
        client.resume();
        set({ paused: false });
      },

      reset: async () => {
        set({ busy: 'reset', paused: false, error: null });
        get().openRun(null);
        try {
          if (get().configDirty || !get().status) await ensureConfigured();
          else applySnapshot(await client.reset());
          set({ lastCommandMs: null });
        } catch (error) {
          failed(error);
        } finally {
          set({ busy: null, progress: null });
        }
      },

      dismissError: () => set({ error: null }),

      modelFiles: (cycle) => client.modelFiles(cycle),

      continueRun: async (id) => {
        const locked = get().lockRefusal('Resume (which loads that run’s settings) is off');
        if (locked) return get().setRunsNotice({ kind: 'error', message: locked });
        const checkpoint = get().runs.find((r) => r.id === id)?.checkpoint;
        if (!checkpoint || get().busy) return;
        const config = checkpoint.results.config;
        set({ busy: 'configure', error: null });
        get().loadConfig(config);
        try {
          applySnapshot(await client.continueFrom(checkpoint));
          get().configApplied(config);
        } catch (error) {
          failed(error);
          return;
        } finally {
          set({ busy: null, progress: null });
        }
        await get().run('runAll');
      },
    };
  };
