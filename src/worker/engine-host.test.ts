import { describe, expect, it } from 'vitest';
import { modelFromFiles } from '../engine/model-io';
import { tinyConfig } from '../test/fixtures';
import { testClient, testClientAcrossPort } from '../test/in-process';
import type { HostEvent } from './protocol';

describe('engine host', () => {
  it('keeps the model after dense training and after every cycle, for download', async () => {
    const client = testClient();
    await client.configure(tinyConfig()); // 2 cycles to 50%, 75%
    expect(await client.modelFiles(0)).toBeNull();
    const results = await client.runAll();
    const zeros = async (cycle: number) => {
      const files = await client.modelFiles(cycle);
      const model = await modelFromFiles(files!);
      const fc1 = model.getLayer('fc1').getWeights()[0]!.dataSync();
      model.dispose();
      return fc1.filter((v) => v === 0).length / fc1.length;
    };
    expect(await zeros(0)).toBe(0); // dense
    expect(await zeros(1)).toBeCloseTo(results.cycles[0]!.layers[0]!.sparsity, 6);
    expect(await zeros(2)).toBeCloseTo(results.cycles[1]!.layers[0]!.sparsity, 6);
    expect(await client.modelFiles(3)).toBeNull();
    // A new session starts without them.
    await client.reset();
    expect(await client.modelFiles(1)).toBeNull();
    client.dispose();
  });
});

describe('commands across a port (Comlink, as to the worker)', () => {
  it('resolve only after their final status and results have reached the receiver', async () => {
    // Events travel on the listener's own port, replies on the host's: unordered. Before, the
    // reply to runAll came first, while the receiver still had the status "pruned".
    const client = testClientAcrossPort();
    const seen: HostEvent[] = [];
    client.subscribe((event) => void seen.push(event));
    await client.configure(tinyConfig());
    expect(seen.findLast((e) => e.type === 'status')).toEqual({
      type: 'status',
      status: { stage: 'untrained', cycle: 0, cycles: 2, done: false },
    });
    const results = await client.runAll();
    expect(seen.findLast((e) => e.type === 'status')).toEqual({
      type: 'status',
      status: { stage: 'retrained', cycle: 2, cycles: 2, done: true },
    });
    expect(seen.findLast((e) => e.type === 'results')).toEqual({ type: 'results', results });
    client.dispose();
  });
});

describe('benchmark flags', () => {
  it('sets the TF.js flags a case asks for, and names an unknown one', async () => {
    const client = testClient();
    const tf = await import('@tensorflow/tfjs');
    const request = {
      backend: 'cpu',
      model: 'lenet300',
      batch: 8,
      blocks: 1,
      blockMs: 20,
    } as const;
    const result = await client.benchmark({
      ...request,
      flags: { CHECK_COMPUTATION_FOR_ERRORS: true },
    });
    expect(result.throughput.samplesPerSecond).toBeGreaterThan(0);
    expect(tf.env().getBool('CHECK_COMPUTATION_FOR_ERRORS')).toBe(true); // default: false
    tf.env().reset();
    await expect(client.benchmark({ ...request, flags: { NOT_A_FLAG: 1 } })).rejects.toThrow(
      /NOT_A_FLAG/,
    );
    client.dispose();
  });
});
