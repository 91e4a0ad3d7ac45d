import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { measureThroughput, median } from './throughput';

describe('measureThroughput', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('times blocks of real training steps and gives their median', async () => {
    const result = await measureThroughput({
      model: 'lenet300',
      batch: 8,
      warmupSteps: 1,
      blocks: 3,
      blockMs: 20,
    });
    expect(result.blockRates).toHaveLength(3);
    expect(result.samplesPerSecond).toBe(median(result.blockRates));
    expect(result.steps).toBeGreaterThanOrEqual(3);
  });

  it('warms up for at least warmupMs before the first timed block', async () => {
    // The warm-up runs whole steps until the time has passed: at least that long, whatever
    // the machine's speed (the timed blocks come after it).
    const started = performance.now();
    await measureThroughput({
      model: 'lenet300',
      batch: 8,
      warmupSteps: 1,
      warmupMs: 400,
      blocks: 1,
      blockMs: 1,
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(400);
  });
});
