/**
 * The run as the app sees it: backend, session status, live progress, results, and the
 * commands that drive the engine. Actions live next to the state they change.
 */
import type { StateCreator } from 'zustand';
import type { Results } from '../schema/results';
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
    const applySnapshot = (snapshot: Snapshot) =>
      set({
        backend: snapshot.backend,
        status: snapshot.status,
        results: snapshot.results,
        progress: null,
      });

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

      applyEvent: (event) => {
        switch (event.type) {
          case 'progress':
            set({ progress: event });
            break;
          case 'status':
            set({ status: event.status });
            break;
          case 'results':
            set({ results: event.results });
            break;
          case 'checkpoint':
            get().recordCheckpoint(event.checkpoint);
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
          await client[command]();
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
