/**
 * SLR (Le & Hua 2021): the dense schedule, its warm-up replaced by maxLR, compressed into the
 * R = T − W iterations after the phase's own warm-up: η_{W+j} = dense'[int(j · T_orig / R)].
 */
import { denseWithoutWarmup } from './dense';
import type { ScheduleModule } from './types';

export const slrSchedule: ScheduleModule<'slr'> = {
  id: 'slr',
  label: 'SLR — dense schedule, compressed',
  description: 'warm-up, then the dense schedule (without its warm-up) compressed into the phase',
  formula: "η_{W+j} = dense'[int(j · T_orig / R)], dense' = dense with its warm-up set to maxLR",
  source: 'Le & Hua 2021',
  warmup: true,
  start: ({ dense }) => dense.lrMax,
  // j * (T_orig / R) in that order, as BIMP's interpolation_width: the same float rounding.
  rate: ({ dense }, j, remaining) =>
    denseWithoutWarmup(dense, Math.trunc(j * (dense.iterations / remaining))),
};
