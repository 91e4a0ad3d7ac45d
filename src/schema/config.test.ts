import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CONFIG, parseConfig } from './config';

describe('config schema', () => {
  it('fills every omitted key with its default (the classroom run)', () => {
    expect(parseConfig({})).toEqual({
      dataset: 'mnist',
      model: 'lenet300',
      regime: 'imp',
      denseEpochs: 3,
      targetSparsity: 0.9,
      cycles: 5,
      retrainEpochs: 1,
      retrainSchedule: 'slr',
      rewind: 'none',
      rewindEpoch: 1,
      gmpStart: 0.1,
      gmpEnd: 0.75,
      gmpEvery: 50,
      bnRecalibration: false,
      layerOverrides: {},
      criterion: 'global',
      lr: 0.1,
      batchSize: 128,
      weightDecay: 1e-4,
      seed: 42,
      backend: 'auto',
    });
    expect(DEFAULT_CONFIG).toEqual(parseConfig({}));
  });

  it('keeps given values and allows 0 retrain epochs', () => {
    const config = parseConfig({ model: 'lenet5', retrainEpochs: 0, retrainSchedule: 'ft' });
    expect(config.model).toBe('lenet5');
    expect(config.retrainEpochs).toBe(0);
    expect(config.retrainSchedule).toBe('ft');
  });

  const rejects = (input: unknown, field: RegExp) => {
    let error: unknown;
    try {
      parseConfig(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(field);
  };

  it('names the field of each bad value', () => {
    rejects({ targetSparsity: 1 }, /targetSparsity: .*0\.999/);
    rejects({ targetSparsity: -0.1 }, /targetSparsity/);
    rejects({ cycles: 0 }, /cycles/);
    rejects({ cycles: 2.5 }, /cycles/);
    rejects({ retrainEpochs: -1 }, /retrainEpochs/);
    rejects({ retrainSchedule: 'warp' }, /retrainSchedule/);
    rejects({ model: 'resnet152' }, /model/);
    rejects({ lr: 0 }, /lr/);
    rejects({ batchSize: '64' }, /batchSize/);
    rejects({ seed: -3 }, /seed/);
    rejects({ regime: 'obd' }, /regime/);
    rejects({ rewind: 'epoch', rewindEpoch: 4 }, /rewindEpoch: must be at most denseEpochs \(3\)/);
    rejects({ gmpStart: 0.5, gmpEnd: 0.4 }, /gmpEnd: must be at least gmpStart/);
    rejects({ gmpEvery: 0 }, /gmpEvery/);
    rejects({ bnRecalibration: 'yes' }, /bnRecalibration/);
  });

  it('rejects unknown fields by name and non-objects', () => {
    rejects({ epochs: 3 }, /epochs: unknown field/);
    rejects([1, 2], /\(config\)/);
    rejects(null, /\(config\)/);
  });
});
