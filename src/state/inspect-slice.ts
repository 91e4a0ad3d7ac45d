/**
 * The "Inside the network" views: which are open, which network state they show (dense or
 * after cycle j of the live run; by default the latest), the summaries the engine sent for it,
 * and a layer sensitivity analysis in progress. The engine is asked only for what an open view
 * shows (`watchInspection` asks again when a view opens, the state changes or a cycle ends); a
 * closed view costs nothing. Masks and previews of a state never change within a session and
 * are kept; histograms are asked again (their axis is shared by every state kept so far).
 */
import type { StateCreator } from 'zustand';
import type { EngineClient } from '../worker/engine-client';
import type {
  InspectPart,
  InspectResult,
  MaskView,
  PreviewView,
  SessionStatus,
  WeightMagnitudes,
} from '../worker/protocol';
import type { AppState, AppStore } from './store';

export const INSPECT_VIEWS = ['weights', 'preview', 'masks', 'sensitivity'] as const;
export type InspectView = (typeof INSPECT_VIEWS)[number];

/** The engine summaries each view needs (sensitivity reads the results). */
const PARTS: Record<InspectView, InspectPart | null> = {
  weights: 'weights',
  preview: 'preview',
  masks: 'masks',
  sensitivity: null,
};

export interface InspectedState {
  weights?: WeightMagnitudes;
  /** How many states the histograms' shared axis spanned (a newer answer spans more). */
  weightsSpan?: number;
  masks?: MaskView;
  preview?: PreviewView;
}

export interface SensitivityProgress {
  cycle: number;
  done: number;
  total: number;
}

export interface InspectSlice {
  inspectOpen: Record<InspectView, boolean>;
  /** The state the views show: 0 dense, j after cycle j; null follows the latest. */
  inspectCycle: number | null;
  /** The first state the engine keeps (a resumed run keeps those from its resume on). */
  inspectFloor: number;
  /** Summaries by state, of the live session. */
  inspected: Record<number, InspectedState>;
  /** The session they belong to (its results' startedAt). */
  inspectSession: string | null;
  inspectError: string | null;
  sensitivityRun: SensitivityProgress | null;
  setInspectOpen(view: InspectView, open: boolean): void;
  chooseInspectCycle(cycle: number | null): void;
  /** Asks the engine for what the open views lack for the shown state. */
  refreshInspection(): Promise<void>;
  /** Layer sensitivity of the shown state; its numbers arrive in the results. */
  runSensitivity(): Promise<void>;
  cancelSensitivity(): void;
}

/**
 * The states of the live run the engine holds, from its status: dense once trained, then each
 * cycle once retrained (a pruned, not yet retrained cycle has no state of its own yet).
 */
export function liveStates(status: SessionStatus | null, floor = 0): number[] {
  if (!status || status.stage === 'untrained') return [];
  const last = status.stage === 'pruned' ? status.cycle - 1 : status.cycle;
  const out: number[] = [];
  for (let c = floor; c <= last; c++) out.push(c);
  return out;
}

/** The state the views show: the chosen one while it exists, else the latest; null if none. */
export function shownInspectCycle(
  state: Pick<AppState, 'status' | 'inspectCycle' | 'inspectFloor'>,
): number | null {
  const states = liveStates(state.status, state.inspectFloor);
  if (states.length === 0) return null;
  const chosen = state.inspectCycle;
  return chosen !== null && states.includes(chosen) ? chosen : states.at(-1)!;
}

const sessionOf = (state: AppState) => state.results?.environment.startedAt ?? null;

/**
 * True while a command trains (not paused): the criterion preview then waits, since it prunes
 * and evaluates a copy of the network once per criterion on the worker that trains (measured:
 * about 6 s a cycle on LeNet-300-100, a run 50% longer). It comes when the run pauses or ends.
 */
export function previewDeferred(state: Pick<AppState, 'busy' | 'paused'>): boolean {
  return state.busy !== null && !state.paused;
}

export const createInspectSlice =
  (client: EngineClient): StateCreator<AppState, [], [], InspectSlice> =>
  (set, get) => ({
    inspectOpen: { weights: false, preview: false, masks: false, sensitivity: false },
    inspectCycle: null,
    inspectFloor: 0,
    inspected: {},
    inspectSession: null,
    inspectError: null,
    sensitivityRun: null,

    setInspectOpen: (view, open) => set({ inspectOpen: { ...get().inspectOpen, [view]: open } }),

    chooseInspectCycle: (cycle) => set({ inspectCycle: cycle }),

    refreshInspection: async () => {
      const state = get();
      const cycle = shownInspectCycle(state);
      if (cycle === null) return;
      const have = state.inspected[cycle] ?? {};
      const span = liveStates(state.status, state.inspectFloor).length;
      const parts = INSPECT_VIEWS.filter((v) => state.inspectOpen[v])
        .map((v) => PARTS[v])
        .filter((p): p is InspectPart => p !== null)
        .filter((p) => p !== 'preview' || !previewDeferred(state))
        .filter((p) => (p === 'weights' ? (have.weightsSpan ?? 0) < span : !have[p]));
      if (parts.length === 0) return;
      const session = sessionOf(state);
      let answer: InspectResult | null;
      try {
        answer = await client.inspect({ cycle, parts });
      } catch (error) {
        set({ inspectError: error instanceof Error ? error.message : String(error) });
        return;
      }
      if (sessionOf(get()) !== session || get().inspectSession !== session) return;
      if (!answer) return;
      const floor = answer.states[0] ?? 0;
      const now = get().inspected[cycle] ?? {};
      const next: InspectedState = { ...now };
      if (answer.weights && (now.weightsSpan ?? 0) <= answer.states.length) {
        next.weights = answer.weights;
        next.weightsSpan = answer.states.length;
      }
      if (answer.masks) next.masks = answer.masks;
      if (answer.preview) next.preview = answer.preview;
      set({
        inspected: { ...get().inspected, [cycle]: next },
        inspectFloor: floor,
        inspectError: null,
      });
    },

    runSensitivity: async () => {
      const cycle = shownInspectCycle(get());
      if (cycle === null || get().sensitivityRun) return;
      set({ sensitivityRun: { cycle, done: 0, total: 0 }, inspectError: null });
      try {
        await client.sensitivity(cycle, (done, total) => {
          if (get().sensitivityRun?.cycle === cycle)
            set({ sensitivityRun: { cycle, done, total } });
        });
      } catch (error) {
        const aborted = error instanceof Error && error.name === 'AbortedError';
        if (!aborted) set({ inspectError: error instanceof Error ? error.message : String(error) });
      } finally {
        set({ sensitivityRun: null });
      }
    },

    cancelSensitivity: () => {
      if (get().sensitivityRun) client.cancelSensitivity();
    },
  });

/**
 * Keeps the open views supplied: a new session drops what was kept; a view opening, another
 * state chosen, or a new state of the run asks the engine for what the open views lack.
 */
export function watchInspection(store: AppStore): void {
  store.subscribe((state, previous) => {
    const session = sessionOf(state);
    if (session !== state.inspectSession) {
      store.setState({ inspectSession: session, inspected: {}, inspectFloor: 0 });
      return; // that update comes back here with the session in place
    }
    const anyOpen = INSPECT_VIEWS.some((v) => state.inspectOpen[v] && PARTS[v]);
    if (!anyOpen) return;
    const changed =
      state.inspectOpen !== previous.inspectOpen ||
      state.inspectSession !== previous.inspectSession ||
      shownInspectCycle(state) !== shownInspectCycle(previous) ||
      liveStates(state.status).length !== liveStates(previous.status).length ||
      previewDeferred(state) !== previewDeferred(previous);
    if (changed) void state.refreshInspection();
  });
}
