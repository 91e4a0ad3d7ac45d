/**
 * The rate of every iteration of a retraining phase, as BIMP's scheduler gives it (its
 * SequentialSchedulers of a CosineAnnealingLR warm-up and the schedule's own curve):
 *  - with warm-up, W = int(0.1 T): η_i = η₀ (1 − cos(π i / W)) / 2 for i < W (CosineAnnealingLR
 *    from 0 to eta_min = η₀ over T_max = W: it starts at 0);
 *  - then η_{W+j} = rate(j) for j = 0 .. R − 1, R = T − W (W = 0 without warm-up).
 */
import { warmupLength } from './dense';
import { SCHEDULE_REGISTRY, type ScheduleId } from './registry';
import type { RetrainPhase } from './types';

/** The phase's warm-up length: int(0.1 T) for schedules that warm up, else 0. */
export function retrainWarmup(id: ScheduleId, iterations: number): number {
  return SCHEDULE_REGISTRY[id].warmup ? warmupLength(iterations) : 0;
}

/** Every rate of a retraining phase under schedule `id`, in order (T numbers). */
export function retrainRates(id: ScheduleId, phase: RetrainPhase): Float64Array {
  const schedule = SCHEDULE_REGISTRY[id];
  const total = phase.iterations;
  const w = retrainWarmup(id, total);
  const remaining = total - w;
  const start = schedule.start(phase);
  const rates = new Float64Array(total);
  for (let i = 0; i < w; i++) rates[i] = (start * (1 - Math.cos((Math.PI * i) / w))) / 2;
  for (let j = 0; j < remaining; j++) rates[w + j] = schedule.rate(phase, j, remaining, start);
  return rates;
}
