import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { ConfigError } from '../schema/config';
import { toCsv } from '../schema/results-table';
import { expandSweep } from './sweep';

describe('sweep files', () => {
  it('expand a grid to every combination, the first field varying slowest', () => {
    const runs = expandSweep({
      base: { dataset: 'synthetic', model: 'lenet300', cycles: 2 },
      grid: { criterion: ['global', 'lamp'], retrainSchedule: ['ft', 'slr', 'llr'] },
    });
    expect(runs.map((r) => r.name)).toEqual([
      '001-criterion=global-retrainSchedule=ft',
      '002-criterion=global-retrainSchedule=slr',
      '003-criterion=global-retrainSchedule=llr',
      '004-criterion=lamp-retrainSchedule=ft',
      '005-criterion=lamp-retrainSchedule=slr',
      '006-criterion=lamp-retrainSchedule=llr',
    ]);
    expect(runs[4]!.config).toMatchObject({
      dataset: 'synthetic',
      cycles: 2,
      criterion: 'lamp',
      retrainSchedule: 'slr',
      lr: 0.1, // defaults filled in
    });
    expect(runs[4]!.varied).toEqual({ criterion: 'lamp', retrainSchedule: 'slr' });
  });

  it('take a plain list of configs, and name every bad run before anything runs', () => {
    const runs = expandSweep([
      { cycles: 1 },
      { targetSparsity: 0.98, layerOverrides: { fc3: 0.5 } },
    ]);
    expect(runs.map((r) => r.name)).toEqual([
      '001-cycles=1',
      '002-targetSparsity=0.98-layerOverrides=_fc3_0.5_',
    ]);
    let error: unknown;
    try {
      expandSweep({ grid: { criterion: ['global', 'magic'], cycles: [2, 0] } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues;
    expect(issues).toContain('run 002-criterion=global-cycles=0: cycles: must be at least 1');
    expect(issues.filter((i) => i.includes('criterion: must be one of global, '))).toHaveLength(2);
    expect(() => expandSweep({ grid: {}, extra: 1 })).toThrow(/array of configs/);
    expect(() => expandSweep([])).toThrow(ConfigError);
  });
});

describe('CSV', () => {
  it('has one column per key any row has, empty cells for null, quoted text', () => {
    const csv = toCsv([
      { run: 'a,b', cycle: 0, acc: null },
      { run: 'say "hi"', cycle: 1, acc: 0.5, extra: true },
    ]);
    expect(csv).toBe('run,cycle,acc,extra\n"a,b",0,,\n"say ""hi""",1,0.5,true\n');
    // Read back by an independent parser.
    const parsed = Papa.parse<string[]>(csv.trim()).data;
    expect(parsed[1]).toEqual(['a,b', '0', '', '']);
  });
});
