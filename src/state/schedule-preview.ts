/**
 * The learning rate of the next retraining phase, from the settings alone: the same pure code
 * (src/core/schedules/) the engine trains with, so the preview needs no worker round trip.
 */
import { DATASET_REGISTRY } from '../core/datasets';
import { denseSchedule, iterationsPerEpoch as perEpoch } from '../core/schedules/dense';
import { retrainRates } from '../core/schedules/rates';
import type { ExperimentConfig } from '../schema/config';

/** Iterations per epoch of `config` on its data set: floor(N / B), at least 1 (0 if B > N). */
export function iterationsPerEpoch(config: ExperimentConfig): number {
  const n = DATASET_REGISTRY[config.dataset].trainCount;
  return config.batchSize > n ? 0 : perEpoch(n, config.batchSize);
}

/** Every rate of the next retraining phase (ALLR at its upper start, maxLR), or null if none. */
export function previewRetrainRates(config: ExperimentConfig): Float64Array | null {
  const perEpoch = iterationsPerEpoch(config);
  if (config.regime === 'gmp' || config.retrainEpochs === 0 || perEpoch === 0) return null;
  return retrainRates(config.retrainSchedule, {
    dense: denseSchedule(config.lr, perEpoch, config.denseEpochs),
    iterations: perEpoch * config.retrainEpochs,
    epochs: config.retrainEpochs,
  });
}
