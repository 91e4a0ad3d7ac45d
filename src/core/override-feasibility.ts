/**
 * Whether a set of per-layer overrides can do what the run asks, worked out from the layer
 * shapes alone (no weights, no engine), with the same arithmetic as overrides.ts:
 *
 * - N weights in all; the target s leaves K_j = round((1 - s_j) N) after cycle j of J, with
 *   s_j = 1 - (1 - s)^(j/J);
 * - an excluded layer keeps all its weights; a layer pinned at q keeps
 *   round((1 - q_j) size) after cycle j, q_j = 1 - (1 - q)^(j/J);
 * - the free layers (the criterion's) must keep F_j = K_j - (excluded + pinned keep). They
 *   never regrow, and the engine never leaves them fewer than ceil(0.1% of their weights).
 *
 * A combination is refused when
 * 1. some F_j < 0: the fixed layers keep more than the target allows, so the target cannot be
 *    reached (the engine would cut the free layers to their 0.1% floor and stop short);
 * 2. some F_j is below max(one weight per output unit of the free layers, the 0.1% floor):
 *    "almost nothing". With fewer weights than output units (neurons, channels), some unit of
 *    the free layers has no input at all whatever the criterion picks, and below the floor the
 *    run ends sparser than planned anyway;
 * 3. F_J exceeds the free layers' size: the pins alone prune more than the target, so the run
 *    ends sparser than asked (more than 0.1 percentage point);
 * 4. every layer is excluded or pinned and the sparsity they give differs from the target by
 *    more than 0.1 percentage point.
 */
import type { LayerShape } from './models';
import { FREE_LAYER_FLOOR, type LayerOverride } from './overrides';
import { plannedSparsity, roundHalfEven } from './prune-math';

export interface OverrideCheckInput {
  /** The model's prunable layers, in order (MODEL_REGISTRY[model].layers(...)). */
  layers: readonly LayerShape[];
  overrides: Readonly<Record<string, LayerOverride>>;
  targetSparsity: number;
  /** IMP cycles J (each is checked); 1 checks the end state only (GMP). */
  cycles: number;
}

export type OverrideProblemKind = 'unreachable' | 'starved' | 'overshoot' | 'fixed';

export interface OverrideCheck {
  /** N: prunable weights in all. */
  total: number;
  /** K_J: the weights the target leaves after the last cycle. */
  keep: number;
  /** Weights the excluded and pinned layers keep after the last cycle. */
  fixedKeep: number;
  /** The free layers (the criterion's): names, weights, output units, and their 0.1% floor. */
  free: { names: string[]; size: number; units: number; floor: number };
  /** F_J = K_J - fixedKeep: what the free layers must keep after the last cycle. */
  freeKeep: number;
  /** The sparsity the run would end at, as the engine prunes. */
  predictedSparsity: number;
  /** Why the combination is refused, in words (for "layerOverrides: ..."), or null. */
  problem: { kind: OverrideProblemKind; message: string } | null;
}

/** Differences smaller than this (0.1 percentage point) are rounding, not a missed target. */
const SPARSITY_TOLERANCE = 0.001;

const count = (n: number) => n.toLocaleString('en');
const percent = (x: number) => `${Number((100 * x).toFixed(2))}%`;
const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/** Checks `input`'s overrides; see the module comment for the rules. */
export function checkOverrides(input: OverrideCheckInput): OverrideCheck {
  const { layers, overrides, targetSparsity: s, cycles: J } = input;
  const sizes = layers.map((l) => sizeOf(l.shape));
  const total = sizes.reduce((a, b) => a + b, 0);
  const freeIdx = layers.flatMap((l, i) => (overrides[l.name] === undefined ? [i] : []));
  const fixedIdx = layers.flatMap((l, i) => (overrides[l.name] === undefined ? [] : [i]));
  const free = {
    names: freeIdx.map((i) => layers[i]!.name),
    size: freeIdx.reduce((a, i) => a + sizes[i]!, 0),
    units: freeIdx.reduce((a, i) => a + (layers[i]!.shape.at(-1) ?? 0), 0),
    floor: Math.ceil(FREE_LAYER_FLOOR * freeIdx.reduce((a, i) => a + sizes[i]!, 0)),
  };
  const minimum = Math.max(free.units, free.floor);

  /** After cycle j: the target's keep K_j and the fixed layers' keep. */
  const at = (j: number) => {
    const keep = roundHalfEven((1 - plannedSparsity(s, J, j)) * total);
    const fixedKeep = fixedIdx.reduce((a, i) => {
      const o = overrides[layers[i]!.name]!;
      return (
        a +
        (o === 'exclude' ? sizes[i]! : roundHalfEven((1 - plannedSparsity(o, J, j)) * sizes[i]!))
      );
    }, 0);
    return { j, keep, fixedKeep, freeKeep: keep - fixedKeep };
  };
  const steps = Array.from({ length: J }, (_, k) => at(k + 1));
  const last = steps.at(-1)!;
  // The free layers end with the least they were left at any cycle (weights never regrow).
  const freeFinal =
    freeIdx.length === 0
      ? 0
      : Math.min(free.size, ...steps.map((step) => Math.max(free.floor, step.freeKeep)));
  const predictedSparsity = 1 - (last.fixedKeep + freeFinal) / total;

  const fixedWords = listWords(
    fixedIdx.map((i) => {
      const o = overrides[layers[i]!.name]!;
      return `${layers[i]!.name} ${o === 'exclude' ? 'excluded' : `pinned at ${percent(o)}`}`;
    }),
  );
  const keepVerb = fixedIdx.length === 1 ? 'keeps' : 'keep';
  const others = `the other layers (${free.names.join(', ')})`;
  const remedy = 'Lower the target, pin layers sparser, or exclude fewer layers.';
  const result = (problem: OverrideCheck['problem']): OverrideCheck => ({
    total,
    keep: last.keep,
    fixedKeep: last.fixedKeep,
    free,
    freeKeep: last.freeKeep,
    predictedSparsity,
    problem,
  });

  if (fixedIdx.length === 0) return result(null);
  if (freeIdx.length === 0) {
    if (Math.abs(predictedSparsity - s) <= SPARSITY_TOLERANCE) return result(null);
    return result({
      kind: 'fixed',
      message:
        `cannot reach ${percent(s)} sparsity: every layer is excluded or pinned (${fixedWords}), ` +
        `so ${count(last.fixedKeep)} of the ${count(total)} weights stay and the run would end ` +
        `at ${percent(predictedSparsity)}. Let the criterion decide at least one layer.`,
    });
  }

  /** The first cycle whose free keep is below `limit`: the last one if it is, as it says the target. */
  const failing = (limit: number) =>
    last.freeKeep < limit ? last : steps.find((step) => step.freeKeep < limit);
  /** " after cycle j of J" for a cycle before the last. */
  const when = (j: number) => (j === J ? '' : ` after cycle ${j} of ${J}`);

  const unreachable = failing(0);
  if (unreachable) {
    const { j, keep, fixedKeep } = unreachable;
    const sparsity = percent(plannedSparsity(s, J, j));
    const fixedSize = fixedIdx.reduce((a, i) => a + sizes[i]!, 0);
    const needed = total - keep - (fixedSize - fixedKeep);
    return result({
      kind: 'unreachable',
      message:
        `cannot reach ${sparsity} sparsity${when(j)}: ${fixedWords} ${keepVerb} ` +
        `${count(fixedKeep)} weights, more than the ${count(keep)} of ${count(total)} that ` +
        `${sparsity} leaves; ${others} hold ${count(free.size)} weights, and ${sparsity} needs ` +
        `${count(needed)} more pruned. The run would end at ${percent(predictedSparsity)}, ` +
        `with ${count(freeFinal)} weights left in the other layers. ${remedy}`,
    });
  }

  const starved = failing(minimum);
  if (starved) {
    const why =
      starved.freeKeep < free.units
        ? `fewer than their ${count(free.units)} output units (one weight each), so some units ` +
          'would have no inputs at all, whatever the criterion picks'
        : `fewer than 0.1% of their weights (${count(free.floor)}), the least the lab leaves ` +
          `them, so the run would end at ${percent(predictedSparsity)}`;
    return result({
      kind: 'starved',
      message:
        `leave almost nothing to the criterion${when(starved.j)}: with ${fixedWords}, ` +
        `${others} would keep ${count(starved.freeKeep)} of their ${count(free.size)} weights, ` +
        `${why}. ${remedy}`,
    });
  }

  if (predictedSparsity - s > SPARSITY_TOLERANCE) {
    return result({
      kind: 'overshoot',
      message:
        `cannot reach ${percent(s)} sparsity: ${fixedWords} ${keepVerb} only ` +
        `${count(last.fixedKeep)} weights and ${others} hold ${count(free.size)}: together fewer than ` +
        `the ${count(last.keep)} that ${percent(s)} keeps, so the run would end at ` +
        `${percent(predictedSparsity)}. Raise the target, or pin layers less sparse.`,
    });
  }
  return result(null);
}
