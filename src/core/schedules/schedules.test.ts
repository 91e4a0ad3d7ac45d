/**
 * Every retraining schedule, iteration by iteration, against the formula as ZIB-IOL/BIMP's
 * define_retrain_schedule computes it (runners/baseRunner.py), written out here independently:
 * W = int(0.1 T) warm-up iterations (none for FT and LRW) along CosineAnnealingLR from 0 to
 * the start rate, then the schedule's curve over R = T − W iterations.
 */
import { describe, expect, it } from 'vitest';
import { denseLr, denseRates, denseSchedule } from './dense';
import { retrainRates } from './rates';
import { SCHEDULE_IDS, SCHEDULE_REGISTRY } from './registry';

// Dense: lrMax 0.1 over 2 epochs of 50 = 100 iterations: W_d = 10, lrMin = 0.001.
const dense = denseSchedule(0.1, 50, 2);
const T_ORIG = 100;
const denseList = Array.from({ length: T_ORIG }, (_, t) =>
  t < 10 ? (0.1 * (t + 1)) / 10 : 0.1 + (0.001 - 0.1) * ((t - 10) / 89),
);

/** BIMP's schedule for a phase of T iterations (E epochs), written from its code's formulas. */
function bimp(kind: string, T: number, E: number, effect?: { d: number; s: number }): number[] {
  const maxLR = Math.max(...denseList);
  const minLR = Math.min(...denseList.slice(10));
  const W = kind === 'ft' || kind === 'lrw' ? 0 : Math.floor(0.1 * T);
  const R = T - W;
  let start: number;
  if (kind === 'ft') start = minLR;
  else if (kind === 'lrw') start = denseList[T_ORIG - T]!;
  else if (kind === 'allr') {
    const low = Math.min(E / 2, 1) * maxLR;
    start = Math.min(maxLR, Math.max(low, (effect!.d / Math.sqrt(effect!.s)) * maxLR));
  } else start = maxLR;
  const warmed = denseList.map((lr, it) => (it >= 10 ? lr : maxLR)); // SLR: warm-up -> maxLR
  const width = T_ORIG / R;
  const out: number[] = [];
  for (let i = 0; i < W; i++)
    out.push(start + (0 - start) * ((1 + Math.cos((Math.PI * i) / W)) / 2));
  for (let j = 0; j < R; j++) {
    if (kind === 'ft') out.push(minLR);
    else if (kind === 'lrw') out.push(denseList.slice(-R)[j]!);
    else if (kind === 'slr') out.push(warmed[Math.trunc(j * width)]!);
    else if (kind === 'clr')
      out.push(minLR + ((start - minLR) * (1 + Math.cos((Math.PI * j) / R))) / 2);
    else out.push(start * (1 - j / R)); // llr, allr: LinearLR from start to 0
  }
  return out;
}

describe('dense schedule', () => {
  it('warms up linearly over 10%, then decays linearly to lrMin at the last iteration', () => {
    expect(dense).toMatchObject({ lrMax: 0.1, lrMin: 0.001, iterations: 100, warmup: 10 });
    const rates = denseRates(dense);
    rates.forEach((r, t) => expect(r).toBeCloseTo(denseList[t]!, 15));
    expect(denseLr(dense, 99)).toBeCloseTo(0.001, 15);
  });
});

describe('retraining schedules, every iteration, as BIMP computes them', () => {
  const effect = { normDrop: 0.3, pruneFraction: 0.2 };
  for (const id of SCHEDULE_IDS) {
    for (const [T, E] of [
      [50, 1],
      [37, 1],
      [100, 2],
      [8, 1], // W = 0: no warm-up even for SLR, CLR, LLR, ALLR
    ] as const) {
      it(`${id}, T = ${T}`, () => {
        const phase = { dense, iterations: T, epochs: E, effect };
        const lab = retrainRates(id, phase);
        const reference = bimp(id, T, E, { d: effect.normDrop, s: effect.pruneFraction });
        expect(lab).toHaveLength(T);
        lab.forEach((r, i) => expect(r, `iteration ${i}`).toBeCloseTo(reference[i]!, 14));
      });
    }
  }

  it('SLR warms up once, then follows the dense decay: no second warm-up (the sawtooth)', () => {
    const lab = retrainRates('slr', { dense, iterations: 50, epochs: 1 });
    // W = 5: 0 at the start, maxLR at iteration 5, then never above maxLR and falling.
    expect(lab[0]).toBe(0);
    expect(lab[5]).toBe(0.1);
    for (let i = 6; i < 50; i++) expect(lab[i]!).toBeLessThanOrEqual(lab[i - 1]!);
  });

  it('ALLR clips its start to [min(E / E_orig, 1) maxLR, maxLR]', () => {
    const at = (d: number, s: number, E = 1) =>
      retrainRates('allr', {
        dense,
        iterations: 50 * E,
        epochs: E,
        effect: { normDrop: d, pruneFraction: s },
      })[Math.floor(0.1 * 50 * E)]!;
    expect(at(0.001, 0.5)).toBeCloseTo(0.05, 15); // low = 1/2 · maxLR
    expect(at(0.9, 0.1)).toBeCloseTo(0.1, 15); // capped at maxLR
    expect(at(0.6, 0.64)).toBeCloseTo(0.1 * (0.6 / 0.8), 15); // inside: d / sqrt(s) · maxLR
    expect(at(0.001, 0.5, 2)).toBeCloseTo(0.1, 15); // E = E_orig: low = maxLR
  });

  it('LRW longer than the dense run replays it from the start, then holds its last rate', () => {
    const lab = retrainRates('lrw', { dense, iterations: 150, epochs: 3 });
    for (let i = 0; i < 100; i++) expect(lab[i]).toBe(denseLr(dense, i));
    for (let i = 100; i < 150; i++) expect(lab[i]).toBe(denseLr(dense, 99));
  });

  it('every schedule has its label, description, formula and source', () => {
    for (const id of SCHEDULE_IDS) {
      const s = SCHEDULE_REGISTRY[id];
      expect(s.id).toBe(id);
      for (const text of [s.label, s.description, s.formula, s.source]) expect(text).toBeTruthy();
    }
  });
});
