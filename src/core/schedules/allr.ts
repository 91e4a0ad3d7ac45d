/**
 * ALLR (Zimmer et al. 2021): LLR from a start rate that follows how much the prune hurt:
 *   η₀ = clip(maxLR · d / sqrt(s), min(E / E_orig, 1) · maxLR, maxLR),
 * d the relative norm drop over all weights and biases, s the pruned fraction of the survivors
 * (E, E_orig: retraining and dense epochs). Before any prune (a preview) it shows η₀ = maxLR;
 * a prune that removed nothing (s = 0) starts at the lower bound.
 */
import type { RetrainPhase, ScheduleModule } from './types';

/** ALLR's start rate η₀ for `phase`. */
export function allrStartLr(phase: RetrainPhase): number {
  const { dense, effect } = phase;
  const { lrMax } = dense;
  if (!effect) return lrMax;
  const low = Math.min(phase.epochs / dense.epochs, 1) * lrMax;
  if (effect.pruneFraction <= 0) return low;
  const raw = (effect.normDrop / Math.sqrt(effect.pruneFraction)) * lrMax;
  return Math.min(lrMax, Math.max(low, raw));
}

export const allrSchedule: ScheduleModule<'allr'> = {
  id: 'allr',
  label: "ALLR — linear, start set by the prune's norm drop",
  description: 'LLR from a start rate set by how much of the norm the prune removed',
  formula: 'η_{W+j} = η₀ (1 − j / R), η₀ = clip(maxLR · d / √s, min(E / E_orig, 1) · maxLR, maxLR)',
  source: 'Zimmer et al. 2021',
  warmup: true,
  start: allrStartLr,
  rate: (_phase, j, remaining, start) => start * (1 - j / remaining),
};
