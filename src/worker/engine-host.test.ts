import { describe, expect, it } from 'vitest';
import { modelFromFiles } from '../engine/model-io';
import { tinyConfig } from '../test/fixtures';
import { testClient } from '../test/in-process';

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
