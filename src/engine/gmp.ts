/**
 * Gradual magnitude pruning (Zhu & Gupta 2017): pruning during one training run of T
 * iterations. From t_0 on, every dt iterations the network is pruned to
 *   s_t = s_f + (s_i - s_f) (1 - (t - t_0) / (n dt))^3,   t = t_0, t_0 + dt, ..., t_0 + n dt,
 * with s_i = 0 (dense start), so sparsity rises fast at first and levels off at s_f.
 * t_0 = floor(start T), the last step t_0 + n dt is the last one at or before
 * min(floor(end T), T - 1): n = floor((t_end - t_0) / dt).
 */

export interface GmpPlan {
  /** t_0, the first pruning step (0-based iteration). */
  start: number;
  /** dt, iterations between pruning steps. */
  every: number;
  /** n, the number of steps after t_0. */
  steps: number;
  /** s_f, the final sparsity. */
  final: number;
  /** s_i, the sparsity at t_0 (0: the run starts dense). */
  initial: number;
}

/** The plan for a run of `iterations` iterations; `start` and `end` are fractions of the run. */
export function gmpPlan(
  iterations: number,
  final: number,
  start: number,
  end: number,
  every: number,
): GmpPlan {
  const t0 = Math.min(Math.floor(start * iterations), iterations - 1);
  const tEnd = Math.max(t0, Math.min(Math.floor(end * iterations), iterations - 1));
  return { start: t0, every, steps: Math.floor((tEnd - t0) / every), final, initial: 0 };
}

/** s_t: the planned sparsity at iteration t (s_i before t_0, s_f after the last step). */
export function gmpSparsity(plan: GmpPlan, t: number): number {
  const { start, every, steps, final, initial } = plan;
  if (t < start) return initial;
  if (steps === 0) return final;
  const u = Math.min(1, (t - start) / (steps * every));
  return final + (initial - final) * (1 - u) ** 3;
}

/** Whether the network is pruned before iteration t: t = t_0 + k dt, 0 <= k <= n. */
export function isGmpStep(plan: GmpPlan, t: number): boolean {
  const k = (t - plan.start) / plan.every;
  return Number.isInteger(k) && k >= 0 && k <= plan.steps;
}
