import { describe, expect, it } from 'vitest';
import { describeProgress } from './RunControls';

describe('the progress line', () => {
  it('says Finished, not Idle, once the run is done and nothing runs', () => {
    expect(describeProgress(null, null, true)).toBe('Finished');
    expect(describeProgress(null, null, false)).toBe('Idle');
    expect(describeProgress(null, 'runAll', true)).toBe('Starting…');
  });

  it('names the phase, cycle, epoch, fraction and rate of what runs', () => {
    expect(
      describeProgress(
        {
          type: 'progress',
          phase: 'retrain',
          cycle: 2,
          epoch: 1,
          epochs: 3,
          fraction: 0.25,
          lr: 0.0125,
        },
        'runAll',
        false,
      ),
    ).toBe('Retraining · cycle 2 · epoch 1/3 · 25% · lr 0.0125');
  });
});
