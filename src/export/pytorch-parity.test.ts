/**
 * The PyTorch twin (src/export/pruning_lab_experiment.py) against the lab, entry by entry of
 * every registry, with no training: the exported script is imported as a Python module (Debian's
 * python3-torch) and asked for what the lab computes in src/core/ —
 *  - every retraining schedule's rate at every iteration of a phase, and the dense schedule's;
 *  - every criterion's masks, with and without per-layer overrides, element for element, over
 *    two prune steps of the same weights;
 *  - every model's prunable layers and kernel shapes; the random stream (Alea) number for number.
 * A registry entry without its Python twin fails here, by name.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { CRITERION_IDS, CRITERION_REGISTRY, type CriterionId } from '../core/criteria/registry';
import { DATASET_IDS } from '../core/datasets';
import { MODEL_IDS, MODEL_REGISTRY } from '../core/models';
import { pruneWithOverrides } from '../core/overrides';
import { plannedSparsity, pruneFractionPerCycle } from '../core/prune-math';
import { denseRates, denseSchedule } from '../core/schedules/dense';
import { retrainRates } from '../core/schedules/rates';
import { SCHEDULE_IDS, type ScheduleId } from '../core/schedules/registry';
import type { PruneEffect } from '../core/schedules/types';
import { deriveSeed, makeRng } from '../data/rng';
import { parseConfig } from '../schema/config';
import { python, twinHarness } from '../test/python-twin';
import { tempDirs } from '../test/temp-dirs';
import { PYTHON_MODULE, PYTHON_SOURCE, pythonModule } from '../../scripts/build-python';
import { pytorchScript } from './pytorch-script';
import { PYTORCH_TEMPLATE } from './pytorch-template';

const tempDir = tempDirs();
const run = promisify(execFile);

const HARNESS = twinHarness(String.raw`
import numpy as np
d = json.load(open(sys.argv[2]))
out = {"keys": {k: list(getattr(twin, k)) for k in ("SCHEDULES", "CRITERIA", "MODELS", "DATASETS")}}
out["dense"] = [twin.dense_lr(twin.dense_schedule(*d["dense"]), t) for t in range(d["dense"][1] * d["dense"][2])]
dense = twin.dense_schedule(*d["dense"])
out["rates"] = [twin.retrain_rates(c["kind"], {"dense": dense, "iterations": c["iterations"],
                "epochs": c["epochs"], "effect": c["effect"]}) for c in d["rates"]]
out["masks"] = []
for c in d["masks"]:
    masks = twin.prune_masks(c["criterion"], c["overrides"], c["names"],
                             [np.array(w, dtype=np.float32).astype(np.float64) for w in c["weights"]],
                             [np.array(m, dtype=np.uint8) for m in c["masks"]], c["shapes"],
                             c["fraction"], c["target"], c["cycle"], c["cycles"], twin.make_rng(c["seed"]))
    out["masks"].append([m.astype(int).tolist() for m in masks])
rng = twin.make_rng(twin.derive_seed(d["seed"], "prune"))
out["rng"] = [rng() for _ in range(1000)]
out["models"] = {}
for name in twin.MODELS:
    out["models"][name] = {}
    for key, (shape, classes) in d["inputs"].items():
        model = twin.MODELS[name](shape, classes)
        out["models"][name][key] = [{"name": n, "shape": [int(x) for x in twin.lab_shape(m)]} for n, m in twin.prunable(model)]
json.dump(out, open(sys.argv[3], "w"))
`);

const DENSE: [number, number, number] = [0.1, 50, 2]; // lrMax, iterations per epoch, epochs
const PHASES = [
  [50, 1],
  [37, 1],
  [100, 2],
  [8, 1],
  [150, 3],
] as const;
const EFFECTS: (PruneEffect | undefined)[] = [
  { normDrop: 0.3, pruneFraction: 0.2 },
  { normDrop: 0.02, pruneFraction: 0.37 },
  undefined,
];
const OVERRIDES: Record<string, 'exclude' | number>[] = [
  {},
  { conv1: 'exclude', fc1: 0.8 },
  { fc3: 'exclude' },
  { conv2: 0.5, fc3: 'exclude' },
];
const INPUTS = { mnist: [[28, 28, 1], 10], cifar: [[32, 32, 3], 10] } as const;

interface MaskCase {
  criterion: CriterionId;
  overrides: Record<string, 'exclude' | number>;
  names: string[];
  weights: number[][];
  masks: number[][];
  shapes: number[][];
  fraction: number;
  target: number;
  cycle: number;
  cycles: number;
  seed: number;
  /** The lab's masks after this prune. */
  expected: Uint8Array[];
}

/** Two prune steps (cycle 1 of 2 from dense masks, then cycle 2) per criterion and overrides. */
function maskCases(): MaskCase[] {
  const layers = MODEL_REGISTRY.lenet5.layers([28, 28, 1], 10);
  const rng = makeRng(7);
  // Weights on a grid of 1/256: many equal magnitudes, so the tie rule (by position) counts.
  const weights = layers.map((l) =>
    Float32Array.from(
      { length: l.shape.reduce((a, b) => a * b, 1) },
      () => Math.round((rng() * 2 - 1) * 256) / 256,
    ),
  );
  const shapes = layers.map((l) => l.shape);
  const names = layers.map((l) => l.name);
  const cases: MaskCase[] = [];
  const target = 0.9;
  const cycles = 2;
  const fraction = pruneFractionPerCycle(target, cycles);
  for (const criterion of CRITERION_IDS) {
    for (const overrides of OVERRIDES) {
      let masks: Uint8Array[] = weights.map((w) => new Uint8Array(w.length).fill(1));
      for (let cycle = 1; cycle <= cycles; cycle++) {
        const seed = 100 + cycle;
        const planned = plannedSparsity(target, cycles, cycle);
        const { masks: expected } = pruneWithOverrides(
          CRITERION_REGISTRY[criterion],
          { weights, masks, shapes, fraction, targetSparsity: planned, rng: makeRng(seed) },
          { names, overrides, cycle, cycles },
        );
        cases.push({
          criterion,
          overrides,
          names,
          weights: weights.map((w) => Array.from(w)),
          masks: masks.map((m) => Array.from(m)),
          shapes,
          fraction,
          target: planned,
          cycle,
          cycles,
          seed,
          expected,
        });
        masks = expected;
      }
    }
  }
  return cases;
}

interface TwinOutput {
  keys: Record<'SCHEDULES' | 'CRITERIA' | 'MODELS' | 'DATASETS', string[]>;
  dense: number[];
  rates: number[][];
  masks: number[][][];
  rng: number[];
  models: Record<string, Record<string, { name: string; shape: number[] }[]>>;
}

const rateCases = SCHEDULE_IDS.flatMap((kind) =>
  PHASES.flatMap(([iterations, epochs]) =>
    EFFECTS.map((effect) => ({ kind, iterations, epochs, effect })),
  ),
);
const cases = maskCases();
let twin: TwinOutput;

beforeAll(async () => {
  const dir = await tempDir('pruning-lab-parity-');
  await writeFile(join(dir, 'twin.py'), pytorchScript(parseConfig({})));
  await writeFile(join(dir, 'harness.py'), HARNESS);
  await writeFile(
    join(dir, 'in.json'),
    JSON.stringify({
      dense: DENSE,
      rates: rateCases.map((c) => ({ ...c, effect: c.effect ?? null })),
      masks: cases.map(({ expected: _expected, ...c }) => c),
      seed: 42,
      inputs: INPUTS,
    }),
  );
  await run(python, [join(dir, 'harness.py'), join(dir, 'twin.py'), 'in.json', 'out.json'], {
    cwd: dir,
    maxBuffer: 1 << 26,
  });
  twin = JSON.parse(await readFile(join(dir, 'out.json'), 'utf8')) as TwinOutput;
}, 120_000);

describe('the PyTorch twin', () => {
  it('is bundled from its source (run `npm run build:python` after editing the .py file)', async () => {
    const source = await readFile(PYTHON_SOURCE, 'utf8');
    expect(PYTORCH_TEMPLATE).toBe(source);
    expect(await readFile(PYTHON_MODULE, 'utf8')).toBe(pythonModule(source));
  });

  it('has every registry entry: schedules, criteria, models, data sets', () => {
    expect(twin.keys.SCHEDULES).toEqual([...SCHEDULE_IDS]);
    expect(twin.keys.CRITERIA).toEqual([...CRITERION_IDS]);
    expect(twin.keys.MODELS).toEqual([...MODEL_IDS]);
    expect(twin.keys.DATASETS).toEqual([...DATASET_IDS]);
  });

  it('draws the same random numbers (Alea, seeded as the lab)', () => {
    const rng = makeRng(deriveSeed(42, 'prune'));
    expect(twin.rng).toEqual(Array.from({ length: 1000 }, () => rng()));
  });

  it('has the dense schedule, every iteration', () => {
    const lab = denseRates(denseSchedule(...DENSE));
    expect(twin.dense).toHaveLength(lab.length);
    twin.dense.forEach((r, t) => expect(r, `t = ${t}`).toBeCloseTo(lab[t]!, 15));
  });

  it.each(SCHEDULE_IDS.map((id) => [id]))(
    'has %s, every iteration of phases with and without warm-up',
    (kind: ScheduleId) => {
      const dense = denseSchedule(...DENSE);
      rateCases.forEach((c, i) => {
        if (c.kind !== kind) return;
        const lab = retrainRates(kind, { dense, ...c });
        const py = twin.rates[i]!;
        expect(py, `T = ${c.iterations}`).toHaveLength(lab.length);
        py.forEach((r, t) => expect(r, `T = ${c.iterations}, t = ${t}`).toBeCloseTo(lab[t]!, 15));
      });
    },
  );

  it.each(CRITERION_IDS.map((id) => [id]))(
    'prunes with %s exactly the weights the lab prunes, with and without overrides',
    (criterion: CriterionId) => {
      cases.forEach((c, i) => {
        if (c.criterion !== criterion) return;
        const what = `${JSON.stringify(c.overrides)}, cycle ${c.cycle}`;
        const py = twin.masks[i]!;
        c.expected.forEach((mask, l) => {
          let differ = 0;
          mask.forEach((v, k) => (differ += v === py[l]![k] ? 0 : 1));
          expect(differ, `${what}, layer ${c.names[l]}`).toBe(0);
        });
        // And the prune did something: the masks are not the ones it was given.
        const before = c.masks.flat().reduce((a, b) => a + b, 0);
        const after = c.expected.reduce((a, m) => a + m.reduce((x, y) => x + y, 0), 0);
        expect(after, what).toBeLessThan(before);
      });
    },
  );

  it('builds every model with the lab layers and kernel shapes, at 28x28x1 and 32x32x3', () => {
    for (const id of MODEL_IDS) {
      for (const [key, [shape, classes]] of Object.entries(INPUTS)) {
        expect(twin.models[id]![key], `${id} ${key}`).toEqual(
          MODEL_REGISTRY[id].layers(shape, classes),
        );
      }
    }
  });
});
