/** CLR (Le & Hua 2021): warm-up, then a cosine from maxLR down to minLR over R iterations. */
import type { ScheduleModule } from './types';

export const clrSchedule: ScheduleModule<'clr'> = {
  id: 'clr',
  label: 'CLR — cosine from lrMax',
  description: 'warm-up, then one cosine from the peak rate down to the smallest',
  formula: 'η_{W+j} = minLR + (maxLR − minLR) (1 + cos(π j / R)) / 2',
  source: 'Le & Hua 2021',
  warmup: true,
  start: ({ dense }) => dense.lrMax,
  rate: ({ dense }, j, remaining) =>
    dense.lrMin + ((dense.lrMax - dense.lrMin) * (1 + Math.cos((Math.PI * j) / remaining))) / 2,
};
