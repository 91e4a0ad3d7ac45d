/**
 * LRW (Renda et al. 2020): replay the last T rates of the dense run, no warm-up. A phase longer
 * than the dense run (T > T_orig) replays it from its start and then holds its last rate, which
 * is what BIMP's list slice `lr[-T:]` gives (BIMP itself stops there with an IndexError).
 */
import { denseLr } from './dense';
import type { ScheduleModule } from './types';

const index = (iterations: number, total: number, i: number) =>
  iterations <= total ? total - iterations + i : Math.min(i, total - 1);

export const lrwSchedule: ScheduleModule<'lrw'> = {
  id: 'lrw',
  label: 'LRW — replay the end of the dense schedule',
  description: 'the last T rates of the dense run, no warm-up',
  formula: 'η_i = dense[T_orig − T + i]',
  source: 'Renda et al. 2020',
  warmup: false,
  start: ({ dense, iterations }) => denseLr(dense, index(iterations, dense.iterations, 0)),
  rate: ({ dense, iterations }, j) => denseLr(dense, index(iterations, dense.iterations, j)),
};
