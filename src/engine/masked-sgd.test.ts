import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { hasFusedSgdStep } from './kernels/sgd-step';
import { MaskedSgd } from './masked-sgd';

describe.each([
  ['fused kernel', true],
  ['tensor ops', false],
])('MaskedSgd (%s)', (_, fused) => {
  it('runs on the path it names', () => {
    expect(hasFusedSgdStep()).toBe(true); // the CPU backend has the fused kernel
  });

  it('matches PyTorch SGD (momentum 0.9, Nesterov, weight decay) step by step', () => {
    // Hand-computed for w0 = 1, constant gradient 1, lr 0.1, wd 0.1, mu 0.9:
    // step 1: g = 1 + 0.1*1 = 1.1; v = 1.1; w = 1 - 0.1*(1.1 + 0.99) = 0.791
    // step 2: g = 1 + 0.0791 = 1.0791; v = 0.99 + 1.0791 = 2.0691;
    //         w = 0.791 - 0.1*(1.0791 + 1.86219) = 0.496871 (torch.optim.SGD agrees)
    const w = tf.variable(tf.tensor1d([1]));
    const opt = new MaskedSgd(0.1, 0.9, fused);
    expect(opt.nesterov).toBe(true);
    opt.apply([w], { [w.name]: tf.tensor1d([1]) }, 0.1, () => null);
    expect(w.dataSync()[0]).toBeCloseTo(0.791, 6);
    opt.apply([w], { [w.name]: tf.tensor1d([1]) }, 0.1, () => null);
    expect(w.dataSync()[0]).toBeCloseTo(0.496871, 6);
  });

  it('uses plain momentum without weight decay', () => {
    // step 1: v = 1, w = 1 - 0.1 = 0.9; step 2: v = 1.9, w = 0.9 - 0.19 = 0.71
    const w = tf.variable(tf.tensor1d([1]));
    const opt = new MaskedSgd(0, 0.9, fused);
    expect(opt.nesterov).toBe(false);
    for (let i = 0; i < 2; i++) opt.apply([w], { [w.name]: tf.tensor1d([1]) }, 0.1, () => null);
    expect(w.dataSync()[0]).toBeCloseTo(0.71, 6);
  });

  it('keeps masked weights at exactly 0 although momentum built up before the mask', () => {
    const w = tf.variable(tf.tensor1d([1, -2, 3, -4]));
    const opt = new MaskedSgd(1e-3, 0.9, fused);
    const grad = () => ({ [w.name]: tf.tensor1d([0.5, -0.5, 0.25, 1]) });
    for (let i = 0; i < 5; i++) opt.apply([w], grad(), 0.1, () => null);
    const mask = tf.tensor1d([1, 0, 1, 0]);
    w.assign(tf.mul(w, mask));
    for (let i = 0; i < 20; i++) opt.apply([w], grad(), 0.1, () => mask);
    const values = Array.from(w.dataSync());
    expect(Math.abs(values[1]!)).toBe(0); // -0 or +0: exactly zero
    expect(Math.abs(values[3]!)).toBe(0);
    expect(values[0]).not.toBe(0);
  });
});
