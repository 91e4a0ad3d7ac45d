import { describe, expect, it } from 'vitest';
import { buildModel } from './models';
import { PrunableNet } from './prunable-net';

describe('models', () => {
  it('LeNet-300-100 has 266,610 parameters, 266,200 of them prunable kernels', () => {
    const net = new PrunableNet(buildModel('lenet300', 1));
    expect(net.kernels.map((k) => [k.name, k.shape])).toEqual([
      ['fc1', [784, 300]],
      ['fc2', [300, 100]],
      ['fc3', [100, 10]],
    ]);
    expect(net.totalParams).toBe(784 * 300 + 300 + 300 * 100 + 100 + 100 * 10 + 10);
    expect(net.prunableParams).toBe(266200);
    net.dispose();
  });

  it('LeNet-5 has conv 6@5x5 same, conv 16@5x5 valid, 400-120-84-10 (61,470 prunable)', () => {
    const net = new PrunableNet(buildModel('lenet5', 1));
    expect(net.kernels.map((k) => [k.name, k.shape])).toEqual([
      ['conv1', [5, 5, 1, 6]],
      ['conv2', [5, 5, 6, 16]],
      ['fc1', [400, 120]],
      ['fc2', [120, 84]],
      ['fc3', [84, 10]],
    ]);
    expect(net.prunableParams).toBe(150 + 2400 + 48000 + 10080 + 840);
    expect(net.totalParams).toBe(61470 + 6 + 16 + 120 + 84 + 10);
    net.dispose();
  });

  it('initialises the same weights for the same seed, within +-1/sqrt(fan_in)', async () => {
    const a = new PrunableNet(buildModel('lenet5', 7));
    const b = new PrunableNet(buildModel('lenet5', 7));
    const c = new PrunableNet(buildModel('lenet5', 8));
    const [wa, wb, wc] = await Promise.all([a.kernelValues(), b.kernelValues(), c.kernelValues()]);
    expect(wa).toEqual(wb);
    expect(wa[0]).not.toEqual(wc[0]);
    const fanIn = [25, 150, 400, 120, 84];
    wa.forEach((w, i) => {
      const bound = 1 / Math.sqrt(fanIn[i]!);
      const max = w.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expect(max).toBeLessThanOrEqual(bound);
      expect(max).toBeGreaterThan(0.9 * bound);
    });
    [a, b, c].forEach((n) => n.dispose());
  });
});
