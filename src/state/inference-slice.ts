/**
 * The "Inference speed" view: whether it is open, the benchmarks the engine measured for states
 * of the live session (by cycle, on request: a measurement takes a few seconds of the engine's
 * thread), and the one in progress. A new session forgets them.
 */
import type { StateCreator } from 'zustand';
import type { EngineClient } from '../worker/engine-client';
import type { InferenceBenchView } from '../worker/protocol';
import { shownInspectCycle } from './inspect-slice';
import type { AppState } from './store';

export interface InferenceSlice {
  inferenceOpen: boolean;
  /** Benchmarks by state of the session `session` (its results' startedAt). */
  inferenceBenches: { session: string | null; byCycle: Record<number, InferenceBenchView> };
  /** The state being measured, or null. */
  inferenceRunning: number | null;
  inferenceError: string | null;
  setInferenceOpen(open: boolean): void;
  /** Times inference of the state the inspection views show (dense against CSR kernels). */
  measureInference(): Promise<void>;
}

const sessionOf = (state: AppState) => state.results?.environment.startedAt ?? null;

/** The benchmark of the state the views show, when it belongs to the live session. */
export function shownInferenceBench(state: AppState): InferenceBenchView | null {
  const cycle = shownInspectCycle(state);
  const benches = state.inferenceBenches;
  if (cycle === null || benches.session !== sessionOf(state)) return null;
  return benches.byCycle[cycle] ?? null;
}

export const createInferenceSlice =
  (client: EngineClient): StateCreator<AppState, [], [], InferenceSlice> =>
  (set, get) => ({
    inferenceOpen: false,
    inferenceBenches: { session: null, byCycle: {} },
    inferenceRunning: null,
    inferenceError: null,

    setInferenceOpen: (open) => set({ inferenceOpen: open }),

    measureInference: async () => {
      const cycle = shownInspectCycle(get());
      if (cycle === null || get().inferenceRunning !== null) return;
      const session = sessionOf(get());
      set({ inferenceRunning: cycle, inferenceError: null });
      try {
        const view = await client.inferenceBench({ cycle });
        if (sessionOf(get()) !== session) return;
        if (!view) {
          set({
            inferenceError: `The network ${cycle === 0 ? 'after dense training' : `after cycle ${cycle}`} is not kept in this session.`,
          });
          return;
        }
        const benches = get().inferenceBenches;
        const byCycle = benches.session === session ? benches.byCycle : {};
        set({ inferenceBenches: { session, byCycle: { ...byCycle, [cycle]: view } } });
      } catch (error) {
        set({ inferenceError: error instanceof Error ? error.message : String(error) });
      } finally {
        set({ inferenceRunning: null });
      }
    },
  });
