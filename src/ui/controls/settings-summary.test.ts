import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../schema/config';
import { settingsSummary } from './settings-summary';

describe('settingsSummary', () => {
  it('says the default experiment in one line', () => {
    expect(settingsSummary(parseConfig({}))).toBe(
      'LeNet-5 · Fashion-MNIST · 90% in 5 cycles · SLR',
    );
  });

  it('names one-shot, GMP, no retraining and a criterion other than global', () => {
    expect(
      settingsSummary(
        parseConfig({
          dataset: 'mnist',
          cycles: 1,
          criterion: 'lamp',
          targetSparsity: 0.955,
        }),
      ),
    ).toBe('LeNet-5 · MNIST · 95.5% in one shot · SLR · LAMP');
    expect(
      settingsSummary(
        parseConfig({ regime: 'gmp', dataset: 'synthetic', model: 'lenet300', denseEpochs: 1 }),
      ),
    ).toBe('LeNet-300-100 · Synthetic · 90% with GMP over 1 epoch');
    expect(settingsSummary(parseConfig({ model: 'lenet300', retrainEpochs: 0 }))).toBe(
      'LeNet-300-100 · Fashion-MNIST · 90% in 5 cycles · no retraining',
    );
  });
});
