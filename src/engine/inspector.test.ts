import { describe, expect, it } from 'vitest';
import { syntheticDataset } from '../data/synthetic';
import type { CriterionId } from '../core/criteria/registry';
import { tinyConfig } from '../test/fixtures';
import { ImpSession } from './imp-session';
import { lampScores } from '../core/criteria/lamp';
import { Inspector } from './inspector';

const data = syntheticDataset();

async function denseState(criterion: CriterionId) {
  const config = tinyConfig({ criterion, retrainEpochs: 0 });
  const session = new ImpSession(config, data, { runtime: 'node' });
  await session.trainDense();
  const checkpoint = await session.checkpoint();
  return { config, session, checkpoint };
}

describe('Inspector', () => {
  it("previews each criterion's next prune exactly as the run then prunes", async () => {
    for (const criterion of ['global', 'uniform', 'uniformPlus', 'erk', 'lamp'] as const) {
      const { config, session, checkpoint } = await denseState(criterion);
      const inspector = new Inspector(config, data);
      const preview = await inspector.criterionPreview(checkpoint, 1);
      const mine = preview.find((p) => p.criterion === criterion && !p.overrides)!;
      const results = await session.prune();
      const cycle = results.cycles[0]!;
      expect(mine.layers, criterion).toEqual(cycle.layers.map((l) => l.sparsity));
      expect(mine.sparsity, criterion).toBeCloseTo(cycle.sparsity, 12);
      expect(mine.testAccuracy, criterion).toBe(cycle.afterPrune.testAccuracy);
      // The preview did not change the run: one entry per criterion, the run's own numbers.
      expect(preview).toHaveLength(6);
      inspector.dispose();
      session.dispose();
    }
  });

  it('previews with and without the overrides when the config has some', async () => {
    const config = tinyConfig({ layerOverrides: { fc3: 'exclude' }, retrainEpochs: 0 });
    const session = new ImpSession(config, data, { runtime: 'node' });
    await session.trainDense();
    const inspector = new Inspector(config, data);
    const preview = await inspector.criterionPreview(await session.checkpoint(), 1);
    expect(preview).toHaveLength(12);
    const withOverrides = preview.find((p) => p.criterion === 'global' && p.overrides)!;
    expect(withOverrides.layers[2]).toBe(0); // fc3 excluded
    const results = await session.prune();
    expect(withOverrides.layers).toEqual(results.cycles[0]!.layers.map((l) => l.sparsity));
    inspector.dispose();
    session.dispose();
  });

  it("histograms hold every layer's alive weights; sensitivity prunes one layer at a time", async () => {
    const config = tinyConfig({ retrainEpochs: 0 });
    const session = new ImpSession(config, data, { runtime: 'node' });
    await session.trainDense();
    const results = await session.stepCycle(); // prune; 0 retraining epochs
    const state = await session.checkpoint();
    const inspector = new Inspector(config, data);
    const hist = inspector.weightHistograms(state);
    hist.layers.forEach((h, l) => {
      expect(h.alive).toBe(results.cycles[0]!.layers[l]!.alive);
      expect(h.counts.reduce((a, b) => a + b, 0) + h.below + h.above).toBe(h.alive);
    });
    const curves = await inspector.sensitivity(state, [0.5, 0.9]);
    expect(curves.map((c) => c.layer)).toEqual(['fc1', 'fc2', 'fc3', 'global']);
    const sizes = results.model.layers.map((l) => l.size);
    const alive = results.cycles[0]!.layers.map((l) => l.alive);
    const total = sizes.reduce((a, b) => a + b, 0);
    curves.slice(0, 3).forEach((curve, l) => {
      curve.points.forEach((p, k) => {
        const level = [0.5, 0.9][k]!;
        // Already at 50% after cycle 1: pruning to 50% changes nothing, to 90% prunes more.
        const keep = Math.min(alive[l]!, Math.round((1 - level) * sizes[l]!));
        expect(p.layerSparsity).toBeCloseTo(1 - keep / sizes[l]!, 12);
        const others = alive.reduce((a, n, i) => (i === l ? a : a + n), 0);
        expect(p.overallSparsity).toBeCloseTo(1 - (others + keep) / total, 12);
      });
    });
    // At the level the layer already has, accuracy is the run's after-prune accuracy.
    expect(curves[0]!.points[0]!.testAccuracy).toBe(results.cycles[0]!.afterPrune.testAccuracy);
    // Global reference at the same overall sparsities as the largest layer (fc1) alone.
    curves[3]!.points.forEach((p, k) =>
      expect(p.overallSparsity).toBeCloseTo(curves[0]!.points[k]!.overallSparsity, 4),
    );
    const masks = inspector.masks(state, 16, 16);
    expect(masks[0]).toMatchObject({ name: 'fc1', rows: 16, cols: 16 });
    expect(masks[2]).toMatchObject({ name: 'fc3', rows: 16, cols: 10 });
    const survival = inspector.inputSurvival(state)!;
    expect(survival.counts.reduce((a, b) => a + b, 0)).toBe(alive[0]);
    inspector.dispose();
    session.dispose();
  });

  it("LAMP's scores: the bins hold every alive weight, and the cut is where LAMP's prune cuts", async () => {
    const { config, session, checkpoint } = await denseState('lamp');
    const inspector = new Inspector(config, data);
    const lamp = inspector.lampHistograms(checkpoint, 1);
    const scores = inspector
      .kernelsOf(checkpoint)
      .map((w, l) => lampScores(w, checkpoint.masks[l]!));
    lamp.layers.forEach((h, l) => {
      expect(h.counts.reduce((a, b) => a + b, 0) + h.below + h.above).toBe(h.alive);
      expect(h.above).toBe(0); // scores are at most 1
      // Each layer's largest weight scores exactly 1: in the top bin.
      expect(scores[l]!.reduce((a, b) => Math.max(a, b), 0)).toBe(1);
      expect(h.counts.at(-1)).toBeGreaterThanOrEqual(1);
    });
    await session.stepCycle(); // prune; 0 retraining epochs
    const { masks } = await session.checkpoint();
    // Every weight LAMP removed scored at most the cut, every one it kept at least the cut,
    // and the cut is a removed weight's score.
    let removedAtCut = 0;
    scores.forEach((score, l) => {
      for (let i = 0; i < score.length; i++) {
        if (!checkpoint.masks[l]![i]) continue;
        if (masks[l]![i]) expect(score[i]!).toBeGreaterThanOrEqual(lamp.cut!);
        else {
          expect(score[i]!).toBeLessThanOrEqual(lamp.cut!);
          if (score[i] === lamp.cut) removedAtCut++;
        }
      }
    });
    expect(removedAtCut).toBeGreaterThanOrEqual(1);
    // Past the last prune there is no cut.
    expect(inspector.lampHistograms(checkpoint, config.cycles + 1).cut).toBeNull();
    inspector.dispose();
    session.dispose();
  });
});
