/**
 * The engine host's inspection side: keeps the network state (weights and masks) of dense
 * training and of every cycle of the current session, as its checkpoints hand them over, and
 * answers the inspection views from them with the engine's Inspector — summaries only, and only
 * the parts asked for. Nothing here changes the run: the Inspector has networks of its own.
 * Previews share one network (one at a time, in order of asking); a sensitivity analysis has
 * another, so a long analysis does not hold up a preview.
 */
import type { ImpSession } from '../engine/imp-session';
import { Inspector, SENSITIVITY_LEVELS, magnitudeRange, type NetState } from '../engine/inspector';
import { RunControl } from '../engine/run-control';
import type { Results, SensitivityRecord } from '../schema/results';
import { pruningCycleLabels } from '../core/inspect';
import type { InspectRequest, InspectResult, PruneCut } from './inspect-protocol';

/** Histogram bins, and how many decades below the largest |w| the axis reaches. */
const BINS = 40;
const DECADES = 3;

/** One Inspector and the queue of work on it. */
class Lane {
  private tail: Promise<unknown> = Promise.resolve();
  constructor(readonly inspector: Inspector) {}

  run<T>(work: (inspector: Inspector) => Promise<T>): Promise<T> {
    const next = this.tail.then(() => work(this.inspector));
    this.tail = next.catch(() => {});
    return next;
  }

  /** Disposes the network once the work already queued has finished. */
  close(): void {
    void this.tail.then(() => this.inspector.dispose());
  }
}

function cutOf(results: Results, cycle: number): PruneCut | null {
  const record = results.cycles.find((c) => c.cycle === cycle);
  if (!record) return null;
  return {
    cycle,
    layers: record.layers.map((l) => ({
      prunedMaxAbs: l.prunedMaxAbs ?? null,
      keptMinAbs: l.keptMinAbs ?? null,
    })),
  };
}

export interface Inspection {
  /** Forgets every state and stops an analysis (a new session, or a reset). */
  clear(): void;
  /** Keeps `state` (every model weight, the masks) as the state after `cycle`. */
  keep(session: ImpSession, cycle: number, state: NetState): void;
  inspect(session: ImpSession | null, request: InspectRequest): Promise<InspectResult | null>;
  /**
   * Layer sensitivity of kept state `cycle`, recorded in the session's results; rejects with
   * AbortedError when cancelled or when the session ends.
   */
  sensitivity(
    session: ImpSession | null,
    cycle: number,
    onProgress: (done: number, total: number) => void,
  ): Promise<SensitivityRecord>;
  cancelSensitivity(): void;
  /** The kept state after `cycle` of `session`, or null (another session, or not kept). */
  state(session: ImpSession | null, cycle: number): NetState | null;
}

export function createInspection(): Inspection {
  let owner: ImpSession | null = null;
  /** Kept states by cycle, each with its alive |w| range once an inspection needed it. */
  let states = new Map<number, { state: NetState; range: [number, number] | null }>();
  let previews: Lane | null = null;
  let analyses: Lane | null = null;
  let analysis: RunControl | null = null;

  const clear = () => {
    analysis?.abort();
    analysis = null;
    previews?.close();
    analyses?.close();
    previews = null;
    analyses = null;
    states = new Map();
    owner = null;
  };

  const own = (session: ImpSession) => {
    if (owner !== session) {
      clear();
      owner = session;
    }
  };

  const lane = (which: 'previews' | 'analyses', session: ImpSession): Lane => {
    const make = () => new Lane(new Inspector(session.config, session.data));
    if (which === 'previews') return (previews ??= make());
    return (analyses ??= make());
  };

  /** One log axis for every kept state: up to the largest alive |w|, DECADES below it. */
  const sharedRange = (inspector: Inspector): [number, number] => {
    let low = Infinity;
    let high = 0;
    for (const kept of states.values()) {
      kept.range ??= magnitudeRange(inspector.kernelsOf(kept.state), kept.state.masks);
      low = Math.min(low, kept.range[0]);
      high = Math.max(high, kept.range[1]);
    }
    return [Math.max(low, high * 10 ** -DECADES), high];
  };

  return {
    clear,

    // Keeping costs no work: the checkpoint made these arrays already.
    keep: (session, cycle, state) => {
      own(session);
      states.set(cycle, { state, range: null });
    },

    inspect: async (session, { cycle, parts }) => {
      if (!session || session !== owner) return null;
      const kept = states.get(cycle);
      if (!kept) return null;
      const { state } = kept;
      const cycles = [...states.keys()].sort((a, b) => a - b);
      const previewer = lane('previews', session);
      const inspector = previewer.inspector;
      const out: InspectResult = { cycle, states: cycles };
      if (parts.includes('weights')) {
        const results = session.results;
        out.weights = {
          ...inspector.weightHistograms(state, BINS, sharedRange(inspector)),
          criterion: session.config.criterion,
          made: cycle > 0 ? cutOf(results, cycle) : null,
          next: cutOf(results, cycle + 1),
          // LAMP ranks scores, not |w|: its scores beside the magnitudes.
          ...(session.config.criterion === 'lamp' && {
            lamp: inspector.lampHistograms(state, cycle + 1, BINS),
          }),
        };
      }
      if (parts.includes('masks')) {
        const earlier = cycles.filter((c) => c <= cycle);
        const labels = state.masks.map((_, l) =>
          pruningCycleLabels(
            earlier.map((c) => states.get(c)!.state.masks[l]!),
            earlier,
          ),
        );
        const input = inspector.inputSurvival(state);
        const first = inspector.net.kernels[0]!;
        out.masks = {
          layers: inspector.masks(state, 64, 96, labels),
          input: input && { ...input, units: first.shape[1]! },
          labelledBy: earlier,
        };
      }
      if (parts.includes('preview')) {
        const criteria = await previewer.run((i) => i.criterionPreview(state, cycle + 1));
        if (session !== owner) return null;
        out.preview = { cycle: cycle + 1, criteria };
      }
      return out;
    },

    sensitivity: async (session, cycle, onProgress) => {
      if (!session) throw new Error('No experiment is configured yet.');
      const kept = session === owner ? states.get(cycle) : undefined;
      if (!kept) {
        throw new Error(
          cycle === 0
            ? 'Train the dense network first: there is no state to analyse yet.'
            : `The network after cycle ${cycle} is not kept in this session.`,
        );
      }
      analysis?.abort();
      const control = new RunControl();
      analysis = control;
      try {
        const curves = await lane('analyses', session).run((i) =>
          i.sensitivity(kept.state, SENSITIVITY_LEVELS, onProgress, control),
        );
        const record: SensitivityRecord = { cycle, levels: [...SENSITIVITY_LEVELS], curves };
        if (session === owner) session.recordSensitivity(record);
        return record;
      } finally {
        if (analysis === control) analysis = null;
      }
    },

    cancelSensitivity: () => analysis?.abort(),

    state: (session, cycle) =>
      session && session === owner ? (states.get(cycle)?.state ?? null) : null,
  };
}
