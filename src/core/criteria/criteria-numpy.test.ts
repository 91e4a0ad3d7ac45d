/**
 * LAMP and global magnitude on the LeNet-5 shapes against an independent implementation:
 * a few lines of NumPy run by Debian's Python (the same interpreter the PyTorch export is
 * tested with). Both get the same float32 weights and a mask from an earlier prune; the
 * per-layer survivor counts must agree exactly.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { makeRng } from '../../data/rng';
import { tempDirs } from '../../test/temp-dirs';
import { countAlive } from '../prune-math';
import { CRITERION_REGISTRY } from './registry';

const tempDir = tempDirs();

const python = process.env.PYTHON ?? '/usr/bin/python3';
const SHAPES = [
  [5, 5, 1, 6],
  [5, 5, 6, 16],
  [400, 120],
  [120, 84],
  [84, 10],
];

const NUMPY = String.raw`
import json, sys
import numpy as np
d = json.load(open(sys.argv[1]))
ws = [np.array(w, dtype=np.float32).astype(np.float64) for w in d["weights"]]
ms = [np.array(m, dtype=bool) for m in d["masks"]]
alive = sum(int(m.sum()) for m in ms)
k = round(d["fraction"] * alive)
def lamp(w, m):
    s = np.full(w.shape, np.inf)
    idx = np.nonzero(m)[0]
    sq = w[idx] ** 2
    order = np.argsort(sq, kind="stable")
    suffix = np.cumsum(sq[order][::-1])[::-1]
    s[idx[order]] = sq[order] / suffix
    return s
out = {}
for name, score in (("lamp", lamp), ("global", lambda w, m: np.where(m, np.abs(w), np.inf))):
    scores = np.concatenate([score(w, m) for w, m in zip(ws, ms)])
    drop = np.argsort(scores, kind="stable")[:k]
    keep = np.concatenate(ms).copy()
    keep[drop] = False
    bounds = np.cumsum([0] + [len(w) for w in ws])
    out[name] = [int(keep[a:b].sum()) for a, b in zip(bounds[:-1], bounds[1:])]
print(json.dumps(out))
`;

describe('LAMP and global magnitude vs an independent NumPy implementation (LeNet-5)', () => {
  it('give the same per-layer survivors after a second prune', async () => {
    const rng = makeRng(11);
    // Layers of different scales, as after training (LAMP's point: it is scale-invariant).
    const scales = [0.3, 0.08, 0.05, 0.1, 0.2];
    const weights = SHAPES.map((shape, l) => {
      const n = shape.reduce((a, b) => a * b, 1);
      return Float32Array.from({ length: n }, () => (rng() * 2 - 1) * scales[l]!);
    });
    // A first prune (random 30%) so that the masks matter.
    const masks = weights.map((w) => Uint8Array.from(w, () => (rng() < 0.3 ? 0 : 1)));
    const fraction = 0.6;
    const dir = await tempDir('pruning-lab-numpy-');
    const input = join(dir, 'input.json');
    await writeFile(
      input,
      JSON.stringify({
        weights: weights.map((w) => Array.from(w)),
        masks: masks.map((m) => Array.from(m)),
        fraction,
      }),
    );
    await writeFile(join(dir, 'criteria.py'), NUMPY);
    const { stdout } = await promisify(execFile)(python, [join(dir, 'criteria.py'), input]);
    const expected = JSON.parse(stdout) as Record<'lamp' | 'global', number[]>;
    for (const name of ['lamp', 'global'] as const) {
      const result = CRITERION_REGISTRY[name].prune({
        weights,
        masks,
        shapes: SHAPES,
        fraction,
        targetSparsity: 0,
        rng: makeRng(1),
      });
      expect(result.masks.map(countAlive), name).toEqual(expected[name]);
    }
    // LAMP's rates differ from global magnitude's: it does not simply follow the layer scale.
    expect(expected.lamp).not.toEqual(expected.global);
  });
});
