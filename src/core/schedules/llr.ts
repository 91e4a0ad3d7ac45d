/** LLR (Zimmer et al. 2021): warm-up, then linear from maxLR to 0 over R iterations. */
import type { ScheduleModule } from './types';

export const llrSchedule: ScheduleModule<'llr'> = {
  id: 'llr',
  label: 'LLR — linear from lrMax to 0',
  description: 'warm-up, then a straight line from the peak rate to 0',
  formula: 'η_{W+j} = maxLR (1 − j / R)',
  source: 'Zimmer et al. 2021',
  warmup: true,
  start: ({ dense }) => dense.lrMax,
  rate: ({ dense }, j, remaining) => dense.lrMax * (1 - j / remaining),
};
