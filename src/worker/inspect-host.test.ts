/**
 * The engine host's inspection API: states kept from the checkpoints, summaries that agree with
 * the results, a sensitivity analysis kept in the results, cancelled on request.
 */
import { describe, expect, it } from 'vitest';
import { resultsSchema, type Results } from '../schema/results';
import { tinyConfig } from '../test/fixtures';
import { testClient, testClientAcrossPort } from '../test/in-process';

describe('engine host: inspect', () => {
  it('keeps dense and every cycle; its summaries agree with the results', async () => {
    const client = testClient();
    await client.configure(tinyConfig()); // LeNet-300-100, 2 cycles to 50%, 75%, global
    expect(await client.inspect({ cycle: 0, parts: ['weights'] })).toBeNull(); // nothing yet
    const results = await client.runAll();
    const answer = await client.inspect({ cycle: 1, parts: ['weights', 'masks', 'preview'] });
    expect(answer).not.toBeNull();
    const { weights, masks, preview, states } = answer!;
    expect(states).toEqual([0, 1, 2]);

    // Histograms: every alive weight of each layer counted once; the cuts are the results'.
    const layers1 = results.cycles[0]!.layers;
    weights!.layers.forEach((h, l) => {
      expect(h.alive).toBe(layers1[l]!.alive);
      expect(h.counts.reduce((a, b) => a + b, 0) + h.below + h.above).toBe(h.alive);
    });
    expect(weights!.criterion).toBe('global');
    expect(weights!.made!.layers.map((c) => c.prunedMaxAbs)).toEqual(
      layers1.map((l) => l.prunedMaxAbs),
    );
    expect(weights!.next!.cycle).toBe(2);
    expect(weights!.next!.layers[0]!.keptMinAbs).toBe(results.cycles[1]!.layers[0]!.keptMinAbs);
    // The axis is shared by all states: dense and cycle 2 get the same edges.
    const dense = await client.inspect({ cycle: 0, parts: ['weights'] });
    expect(dense!.weights!.edges).toEqual(weights!.edges);
    expect(dense!.weights!.made).toBeNull();

    // Masks: after cycle 1 each cell is mostly alive (-1) or mostly pruned in cycle 1.
    expect(masks!.labelledBy).toEqual([0, 1]);
    expect(masks!.layers.map((m) => m.name)).toEqual(['fc1', 'fc2', 'fc3']);
    for (const m of masks!.layers) {
      expect(new Set(m.prunedIn)).toEqual(new Set(m.prunedIn!.filter((v) => v === -1 || v === 1)));
    }
    const survivors = masks!.input!.counts.reduce((a, b) => a + b, 0);
    expect(survivors).toBe(layers1[0]!.alive);
    expect(masks!.input).toMatchObject({ shape: [28, 28, 1], units: 300 });
    // After cycle 2 some cells went in cycle 2.
    const later = await client.inspect({ cycle: 2, parts: ['masks'] });
    expect(later!.masks!.labelledBy).toEqual([0, 1, 2]);
    expect(later!.masks!.layers.some((m) => m.prunedIn!.includes(2))).toBe(true);

    // Preview of the prune after cycle 1 (cycle 2's): global is what the run then did.
    expect(preview!.cycle).toBe(2);
    const global = preview!.criteria.find((p) => p.criterion === 'global' && !p.overrides)!;
    expect(global.layers).toEqual(results.cycles[1]!.layers.map((l) => l.sparsity));
    expect(global.testAccuracy).toBe(results.cycles[1]!.afterPrune.testAccuracy);

    // Only the parts asked for.
    const only = await client.inspect({ cycle: 2, parts: ['weights'] });
    expect(only!.masks).toBeUndefined();
    expect(only!.preview).toBeUndefined();

    // A new session forgets them.
    await client.reset();
    expect(await client.inspect({ cycle: 1, parts: ['weights'] })).toBeNull();
    client.dispose();
  });

  it('runs sensitivity across a port with progress, keeps it in the results; cancel stops it', async () => {
    const client = testClientAcrossPort();
    let latest: Results | null = null;
    client.subscribe((event) => {
      if (event.type === 'results') latest = event.results;
    });
    await client.configure(tinyConfig({ cycles: 1, retrainEpochs: 0 }));
    await expect(client.sensitivity(0, () => {})).rejects.toThrow(/Train the dense network/);
    await client.trainDense();
    const progress: [number, number][] = [];
    const record = await client.sensitivity(0, (done, total) => void progress.push([done, total]));
    // 3 layers and global, 9 levels each.
    expect(record.cycle).toBe(0);
    expect(record.curves.map((c) => c.layer)).toEqual(['fc1', 'fc2', 'fc3', 'global']);
    expect(record.curves.every((c) => c.points.length === 9)).toBe(true);
    // fc3 (1,000 weights) alone to 50%: 500 kept.
    expect(record.curves[2]!.points[2]!.layerSparsity).toBe(0.5);
    await expect.poll(() => progress.length).toBe(36);
    expect(progress.at(-1)).toEqual([36, 36]);
    // The results the page holds carry it, and read through the schema.
    expect(resultsSchema.parse(latest).sensitivity).toEqual([record]);

    // Cancelled: rejects with AbortedError, nothing recorded anew.
    const running = client.sensitivity(0, () => {});
    client.cancelSensitivity();
    await expect(running).rejects.toMatchObject({ name: 'AbortedError' });
    // The run itself goes on: prune after dense training still works.
    const after = await client.prune();
    expect(after.sensitivity).toEqual([record]);
    client.dispose();
  });
});
