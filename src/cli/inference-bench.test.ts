import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../schema/config';
import { inferenceBenchArgs } from './inference-bench';

const run = promisify(execFile);

describe('--inference-bench options', () => {
  it('default to the run’s own states, 5 rounds of 250 ms, batch 1 and 128', () => {
    expect(inferenceBenchArgs({})).toEqual({
      sparsities: null,
      rounds: 5,
      roundMs: 250,
      batches: [1, 128],
    });
  });

  it('read sparsities, rounds, round length and batches', () => {
    expect(
      inferenceBenchArgs({
        'inference-sparsities': '0.9, 0.98',
        'bench-rounds': '3',
        'bench-round-ms': '100',
        'bench-batches': '1,5,128',
      }),
    ).toEqual({ sparsities: [0.9, 0.98], rounds: 3, roundMs: 100, batches: [1, 5, 128] });
  });

  it.each([
    { 'inference-sparsities': '0.9,1' },
    { 'inference-sparsities': 'ninety' },
    { 'inference-sparsities': '' },
    { 'bench-rounds': '0' },
    { 'bench-round-ms': '2.5' },
    { 'bench-batches': '1,-4' },
  ])('refuse %o', (values) => {
    expect(() => inferenceBenchArgs(values)).toThrow(ConfigError);
  });

  it('need --config and --out: the CLI exits 2 with its usage otherwise', async () => {
    const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
    const entry = join(process.cwd(), 'src', 'cli', 'imp.ts');
    const attempt = async (args: string[]) => {
      try {
        await run(tsx, [entry, ...args]);
        return { code: 0, stderr: '' };
      } catch (error) {
        const e = error as { code: number; stderr: string };
        return { code: e.code, stderr: e.stderr };
      }
    };
    const noOut = await attempt(['--config', 'x.json', '--inference-bench']);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('--inference-bench goes with --config and --out');
    const optionAlone = await attempt(['--config', 'x.json', '--out', 'o', '--bench-rounds', '3']);
    expect(optionAlone.code).toBe(2);
  });
});
