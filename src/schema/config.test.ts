import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEFAULT_CONFIG,
  configFieldSchemas,
  fieldLabel,
  fieldSentence,
  parseConfig,
} from './config';

describe('config schema', () => {
  it('fills every omitted key with its default (the classroom run)', () => {
    expect(parseConfig({})).toEqual({
      dataset: 'fashion-mnist',
      dataDir: '',
      augment: true,
      imageSize: 32,
      imageChannels: 'rgb',
      validationSplit: 0,
      model: 'lenet5',
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
      repeats: 1,
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

  const errorOf = (input: unknown) => {
    try {
      parseConfig(input);
    } catch (e) {
      return e as ConfigError;
    }
    throw new Error('parsed');
  };

  it("says each problem in plain words, not the validator's", () => {
    const error = errorOf({ denseEpochs: 0, cycles: 2.5, lr: 0, batchSize: '64', model: 'x' });
    expect(error.issues).toEqual([
      'model: must be one of lenet300, lenet5, conv4, resnet8, resnet20',
      'denseEpochs: must be at least 1',
      'cycles: must be a whole number',
      'lr: must be more than 0',
      'batchSize: must be a number',
    ]);
    // The settings panel says the same with the field's label.
    expect(error.details.map((d) => fieldSentence(d))).toEqual([
      'Model must be one of lenet300, lenet5, conv4, resnet8, resnet20.',
      'Dense epochs must be at least 1.',
      'Cycles must be a whole number.',
      'Learning rate (max) must be more than 0.',
      'Batch size must be a number.',
    ]);
    expect(errorOf({ layerOverrides: { fc1: 'drop' } }).issues).toEqual([
      'layerOverrides.fc1: must be "exclude" or a sparsity from 0 to 0.999',
    ]);
    // A rule between fields names the other setting by key (CLI) or label (panel).
    const rewind = errorOf({ rewind: 'epoch', rewindEpoch: 4 });
    expect(rewind.issues).toEqual(['rewindEpoch: must be at most denseEpochs (3)']);
    expect(fieldSentence(rewind.details[0]!)).toBe(
      'Rewind to dense epoch must be at most Dense epochs (3).',
    );
  });

  it('has one label per setting, with its description', () => {
    for (const [key, schema] of Object.entries(configFieldSchemas)) {
      expect(schema.meta()?.title, key).toBe(fieldLabel(key));
      expect(schema.meta()?.description, key).toBeTruthy();
    }
    expect(new Set(Object.keys(configFieldSchemas).map(fieldLabel)).size).toBe(27);
    expect(fieldLabel('denseEpochs')).toBe('Dense epochs');
  });

  it('refuses per-layer overrides that cannot reach the target (issue 11)', () => {
    const error = errorOf({
      model: 'lenet5',
      targetSparsity: 0.95,
      cycles: 2,
      criterion: 'lamp',
      layerOverrides: { conv1: 'exclude', fc1: 0.8 },
    });
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatch(
      /^layerOverrides: cannot reach 95% sparsity: .*, and 95% needs 19,996 more pruned\./,
    );
    expect(fieldSentence(error.details[0]!)).toMatch(
      /^Per-layer overrides cannot reach 95% sparsity: conv1 excluded and fc1 pinned at 80%/,
    );
    // GMP: its end state is checked.
    expect(() =>
      parseConfig({
        model: 'lenet5',
        regime: 'gmp',
        targetSparsity: 0.95,
        layerOverrides: { conv1: 'exclude', fc1: 0.8 },
      }),
    ).toThrow(/layerOverrides: cannot reach 95% sparsity/);
    expect(
      parseConfig({ model: 'lenet5', targetSparsity: 0.95, layerOverrides: { fc1: 0.98 } })
        .layerOverrides,
    ).toEqual({ fc1: 0.98 });
  });
});
