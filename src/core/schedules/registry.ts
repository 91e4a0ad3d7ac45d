/**
 * Every retraining schedule, by its config name (`"retrainSchedule"`): the one list the config
 * schema's enum, the UI's options, the docs table and the PyTorch export's dispatch are derived
 * from. Adding a schedule: its module (id, label, description, formula, source, warmup, start,
 * rate) plus one line here, plus its Python twin in src/export/pruning_lab_experiment.py.
 */
import { registryIds } from '../registry-ids';
import { allrSchedule } from './allr';
import { clrSchedule } from './clr';
import { ftSchedule } from './ft';
import { llrSchedule } from './llr';
import { lrwSchedule } from './lrw';
import { slrSchedule } from './slr';

export const SCHEDULE_REGISTRY = {
  ft: ftSchedule,
  lrw: lrwSchedule,
  slr: slrSchedule,
  clr: clrSchedule,
  llr: llrSchedule,
  allr: allrSchedule,
} as const;

export type ScheduleId = keyof typeof SCHEDULE_REGISTRY;
export const SCHEDULE_IDS = registryIds(SCHEDULE_REGISTRY);
