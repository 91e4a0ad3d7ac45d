import { describe, expect, it } from 'vitest';
import { MODELS } from '../schema/config';
import { MODEL_LAYERS, MODEL_REGISTRY } from '../core/models';
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

  it("Conv-4 has the Lottery Ticket paper's 2.43M parameters at 32x32x3 (1.93M at 28x28)", () => {
    const cifar = new PrunableNet(buildModel('conv4', 1, [32, 32, 3]));
    expect(cifar.kernels.map((k) => k.shape)).toEqual([
      [3, 3, 3, 64],
      [3, 3, 64, 64],
      [3, 3, 64, 128],
      [3, 3, 128, 128],
      [8 * 8 * 128, 256],
      [256, 256],
      [256, 10],
    ]);
    expect(cifar.totalParams).toBe(2425930);
    const mnist = new PrunableNet(buildModel('conv4', 1));
    expect(mnist.kernels[4]!.shape).toEqual([7 * 7 * 128, 256]);
    expect(mnist.totalParams).toBe(1933258);
    [cifar, mnist].forEach((n) => n.dispose());
  });

  it('ResNet-20 and ResNet-8 match PyTorch parameter counts; BN is never a prunable kernel', () => {
    // Counts from torch (sum of p.numel() over parameters()) for the same architecture.
    const r20 = new PrunableNet(buildModel('resnet20', 1, [32, 32, 3]));
    expect(r20.totalParams).toBe(272474);
    // 19 convs (1 + 3 stages x 3 blocks x 2), 2 shortcut convs, 1 dense.
    expect(r20.kernels).toHaveLength(22);
    expect(r20.kernels.every((k) => !k.name.includes('bn'))).toBe(true);
    expect(r20.kernels[0]!.shape).toEqual([3, 3, 3, 16]);
    expect(r20.kernels.at(-1)!.shape).toEqual([64, 10]);
    const r8 = new PrunableNet(buildModel('resnet8', 1));
    expect(r8.totalParams).toBe(77754);
    expect(r8.kernels.map((k) => k.name)).toContain('s2b1_short');
    // The BN scale/shift and running statistics are outside the prunable set.
    const bnParams = r8.params.filter((p) => /bn/.test(p.name)).length;
    expect(bnParams).toBe(2 * 9); // 9 BN layers, gamma and beta each
    // Prunable = every conv and dense kernel: 144 + 2 x 2,304 + 4,608 + 9,216 + 512 + 18,432
    // + 36,864 + 2,048 + 640 = 77,072 = 77,754 - 672 BN params - 10 dense biases.
    expect(r8.prunableParams).toBe(77072);
    [r20, r8].forEach((n) => n.dispose());
  });

  it.each(MODELS)('%s has the prunable layers the schema lists, in order', (name) => {
    const net = new PrunableNet(buildModel(name, 1, [8, 8, 1]));
    expect(net.kernels.map((k) => k.name)).toEqual(MODEL_LAYERS[name]);
    net.dispose();
  });

  it.each(MODELS)(
    '%s has the kernel shapes its registry entry says, at 28x28x1 and 32x32x3',
    (name) => {
      for (const [shape, classes] of [
        [[28, 28, 1], 10],
        [[32, 32, 3], 7],
      ] as const) {
        const net = new PrunableNet(buildModel(name, 1, [...shape], classes));
        expect(net.kernels.map((k) => ({ name: k.name, shape: k.shape }))).toEqual(
          MODEL_REGISTRY[name].layers(shape, classes),
        );
        net.dispose();
      }
    },
  );
});
