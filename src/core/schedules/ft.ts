/** FT (Han et al. 2015): fine-tune at the dense run's smallest rate, no warm-up. */
import type { ScheduleModule } from './types';

export const ftSchedule: ScheduleModule<'ft'> = {
  id: 'ft',
  label: 'FT — fine-tune at constant lrMin',
  description: 'constant at the smallest rate of the dense run, no warm-up',
  formula: 'η_i = minLR',
  source: 'Han et al. 2015',
  warmup: false,
  start: ({ dense }) => dense.lrMin,
  rate: ({ dense }) => dense.lrMin,
};
