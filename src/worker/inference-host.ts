/**
 * The engine host's inference benchmark: times a kept network state of the current session
 * (inspect-host.ts keeps them) on the WASM kernels, dense against CSR, and tfjs for reference
 * (src/engine/sparse/inference-bench.ts). The theoretical speed-up is the compression report's
 * for that cycle when the results have one. A network of its own: the run is not changed.
 */
import type { ImpSession } from '../engine/imp-session';
import type { NetState } from '../engine/inspector';
import { benchInferenceOf } from '../engine/sparse/inference-bench';
import { globalMagnitudePrune } from '../core/prune-math';
import { buildModel } from '../engine/models';
import type { InferenceBenchRequest, InferenceBenchView } from './inference-protocol';

/** The kernels' values of `state`, in layer order (the masks' order). */
function kernelsOf(session: ImpSession, state: NetState): Float32Array[] {
  const model = buildModel(
    session.config.model,
    0,
    session.data.imageShape,
    session.data.numClasses,
  );
  try {
    const all = model.weights;
    return all
      .map((w, i) => ({ w, i }))
      .filter(({ w }) => w.originalName.endsWith('/kernel'))
      .map(({ i }) => state.weights[i]!);
  } finally {
    model.dispose();
  }
}

/** `state` pruned once more by global magnitude to overall `sparsity` (its weights zeroed). */
export function prunedTo(session: ImpSession, state: NetState, sparsity: number): NetState {
  const kernels = kernelsOf(session, state);
  const size = state.masks.reduce((a, m) => a + m.length, 0);
  const alive = state.masks.reduce((a, m) => a + m.reduce((s, v) => s + v, 0), 0);
  const fraction = alive > 0 ? Math.max(0, 1 - ((1 - sparsity) * size) / alive) : 0;
  const { masks } = globalMagnitudePrune(kernels, state.masks, fraction);
  const kernelAt = new Map(kernels.map((k, l) => [k, l]));
  const weights = state.weights.map((w) => {
    const l = kernelAt.get(w);
    if (l === undefined) return w;
    const mask = masks[l]!;
    return w.map((v, i) => (mask[i] ? v : 0));
  });
  return { weights, masks };
}

export async function inferenceBench(
  session: ImpSession | null,
  state: NetState | null,
  request: InferenceBenchRequest,
): Promise<InferenceBenchView | null> {
  if (!session || !state) return null;
  const sparsity = request.sparsity ?? null;
  const timed = sparsity === null ? state : prunedTo(session, state, sparsity);
  const { imageShape, numClasses } = session.data;
  const result = await benchInferenceOf(session.config.model, imageShape, numClasses, timed, {
    batches: request.batches,
    rounds: request.rounds,
    roundMs: request.roundMs,
    tfjs: request.tfjs,
    pause: () => new Promise((resolve) => setTimeout(resolve, 0)),
  });
  const report =
    sparsity === null
      ? session.results.cycles.find((c) => c.cycle === request.cycle)?.report
      : undefined;
  return {
    ...result,
    ...(report ? { theoreticalSpeedup: report.total.speedup } : {}),
    cycle: request.cycle,
    model: session.config.model,
    prunedTo: sparsity,
    theoreticalFrom: report ? 'report' : 'masks',
  };
}
