import { describe, expect, it } from 'vitest';
import { MODEL_REGISTRY } from './models';
import { checkOverrides } from './override-feasibility';

// LeNet-5 on 28x28x1, 10 classes: conv1 5*5*1*6 = 150, conv2 5*5*6*16 = 2,400,
// fc1 400*120 = 48,000, fc2 120*84 = 10,080, fc3 84*10 = 840; 61,470 weights in all.
const LENET5 = MODEL_REGISTRY.lenet5.layers([28, 28, 1], 10);
// LeNet-300-100: fc1 784*300 = 235,200, fc2 300*100 = 30,000, fc3 100*10 = 1,000; 266,200.
const LENET300 = MODEL_REGISTRY.lenet300.layers([28, 28, 1], 10);

describe('override feasibility', () => {
  it("refuses the issue's combination: 95% with conv1 excluded and fc1 pinned at 80%", () => {
    const check = checkOverrides({
      layers: LENET5,
      overrides: { conv1: 'exclude', fc1: 0.8 },
      targetSparsity: 0.95,
      cycles: 2,
    });
    expect(check.total).toBe(61470);
    // 95% leaves round(0.05 * 61,470) = round(3,073.5) = 3,074 (halves to even).
    expect(check.keep).toBe(3074);
    // conv1 keeps its 150, fc1 keeps 20% of 48,000 = 9,600.
    expect(check.fixedKeep).toBe(9750);
    expect(check.free).toEqual({
      names: ['conv2', 'fc2', 'fc3'],
      size: 13320,
      units: 16 + 84 + 10,
      floor: 14, // ceil(0.1% of 13,320)
    });
    expect(check.freeKeep).toBe(3074 - 9750);
    // What the engine did: the free layers cut to their 14-weight floor, 84% overall.
    expect(check.predictedSparsity).toBeCloseTo(1 - (9750 + 14) / 61470, 12);
    expect(check.problem).toEqual({
      kind: 'unreachable',
      // 61,470 - 3,074 = 58,396 must go; conv1 and fc1 prune 38,400: 19,996 more.
      message:
        'cannot reach 95% sparsity: conv1 excluded and fc1 pinned at 80% keep 9,750 weights, ' +
        'more than the 3,074 of 61,470 that 95% leaves; the other layers (conv2, fc2, fc3) ' +
        'hold 13,320 weights, and 95% needs 19,996 more pruned. The run would end at 84.12%, ' +
        'with 14 weights left in the other layers. Lower the target, pin layers sparser, or ' +
        'exclude fewer layers.',
    });
  });

  it('refuses free layers left with fewer weights than output units', () => {
    // fc1 at 93.75% keeps 3,000 of 48,000; 95% keeps 3,074: 74 left for conv1, conv2, fc2 and
    // fc3, which have 6 + 16 + 84 + 10 = 116 output units.
    const check = checkOverrides({
      layers: LENET5,
      overrides: { fc1: 0.9375 },
      targetSparsity: 0.95,
      cycles: 1,
    });
    expect(check.freeKeep).toBe(74);
    expect(check.problem).toEqual({
      kind: 'starved',
      message:
        'leave almost nothing to the criterion: with fc1 pinned at 93.75%, the other layers ' +
        '(conv1, conv2, fc2, fc3) would keep 74 of their 13,470 weights, fewer than their 116 ' +
        'output units (one weight each), so some units would have no inputs at all, whatever ' +
        'the criterion picks. Lower the target, pin layers sparser, or exclude fewer layers.',
    });
    // At 94% sparsity fc1 keeps 2,880: 194 are left, more than 116: allowed.
    expect(
      checkOverrides({ layers: LENET5, overrides: { fc1: 0.94 }, targetSparsity: 0.95, cycles: 1 })
        .problem,
    ).toBeNull();
  });

  it('refuses free layers left below their 0.1% floor', () => {
    // A 100,000-weight layer with one output unit and an excluded 1,000-weight one: 99% keeps
    // 1,010, so the free layer would keep 10, under its floor of 100; the run would end at
    // 1 - 1,100 / 101,000 = 98.91%.
    const layers = [
      { name: 'wide', shape: [100000, 1] },
      { name: 'kept', shape: [1000, 1] },
    ];
    const check = checkOverrides({
      layers,
      overrides: { kept: 'exclude' },
      targetSparsity: 0.99,
      cycles: 1,
    });
    expect(check.predictedSparsity).toBeCloseTo(1 - 1100 / 101000, 12);
    expect(check.problem).toEqual({
      kind: 'starved',
      message:
        'leave almost nothing to the criterion: with kept excluded, the other layers (wide) ' +
        'would keep 10 of their 100,000 weights, fewer than 0.1% of their weights (100), the ' +
        'least the lab leaves them, so the run would end at 98.91%. Lower the target, pin ' +
        'layers sparser, or exclude fewer layers.',
    });
  });

  it('refuses pins that alone prune past the target', () => {
    // fc1 at 90% keeps 23,520; with fc2 and fc3 dense (31,000) that is 54,520 of 266,200,
    // fewer than the 133,100 that 50% keeps: 79.52% sparse.
    const check = checkOverrides({
      layers: LENET300,
      overrides: { fc1: 0.9 },
      targetSparsity: 0.5,
      cycles: 1,
    });
    expect(check.predictedSparsity).toBeCloseTo(1 - 54520 / 266200, 12);
    expect(check.problem?.kind).toBe('overshoot');
    expect(check.problem?.message).toBe(
      'cannot reach 50% sparsity: fc1 pinned at 90% keeps only 23,520 weights and the other ' +
        'layers (fc2, fc3) hold 31,000: together fewer than the 133,100 that 50% keeps, so ' +
        'the run would end at 79.52%. Raise the target, or pin layers less sparse.',
    );
  });

  it('refuses overrides on every layer unless they give the target', () => {
    const all = { fc1: 0.9, fc2: 0.9, fc3: 'exclude' as const };
    // 23,520 + 3,000 + 1,000 = 27,520 of 266,200 stay: 89.66%.
    expect(
      checkOverrides({ layers: LENET300, overrides: all, targetSparsity: 0.5, cycles: 3 }).problem
        ?.message,
    ).toBe(
      'cannot reach 50% sparsity: every layer is excluded or pinned (fc1 pinned at 90%, fc2 ' +
        'pinned at 90% and fc3 excluded), so 27,520 of the 266,200 weights stay and the run ' +
        'would end at 89.66%. Let the criterion decide at least one layer.',
    );
    expect(
      checkOverrides({ layers: LENET300, overrides: all, targetSparsity: 0.8966, cycles: 3 })
        .problem,
    ).toBeNull();
  });

  it('allows what the criterion can carry', () => {
    const ok = (
      overrides: Record<string, 'exclude' | number>,
      targetSparsity: number,
      cycles = 5,
    ) => checkOverrides({ layers: LENET5, overrides, targetSparsity, cycles }).problem;
    expect(ok({}, 0.999)).toBeNull(); // no overrides: the criterion's own business
    // 98% keeps 1,229; fc3 excluded keeps 840: 389 for 60,630 weights with 226 units.
    expect(ok({ fc3: 'exclude' }, 0.98)).toBeNull();
    expect(ok({ fc3: 'exclude', conv1: 'exclude' }, 0.75, 2)).toBeNull();
    expect(
      checkOverrides({
        layers: LENET300,
        overrides: { fc1: 0.8 },
        targetSparsity: 0.75,
        cycles: 2,
      }).problem,
    ).toBeNull();
  });
});
