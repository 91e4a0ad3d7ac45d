/**
 * `"dataset": "images"` in the PyTorch export: the exported script reads the same image folders
 * as the lab (src/data/image-folder.ts) with Pillow and its own copy of the lab's resize, and
 * must give the same classes, labels, held-out split and pixels, byte for byte, on PNGs (a
 * folder and a .zip, grey and RGB, growing and shrinking); then it trains on them. Runs with
 * Debian's /usr/bin/python3 (or $PYTHON), which has PyTorch and Pillow here.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readImageFolder, type ImageChannels } from '../data/image-folder';
import { decodeImageNode } from '../data/node-image-decode';
import { parseConfig } from '../schema/config';
import { parseResultsJson } from '../state/results-link';
import { fixtureEntries, writeFolder, zipFolder } from '../test/image-folder-fixture';
import { python, twinHarness } from '../test/python-twin';
import { tempDirs } from '../test/temp-dirs';
import { pytorchScript } from './pytorch-script';

const tempDir = tempDirs();
const run = promisify(execFile);

const HARNESS = twinHarness(String.raw`
out = []
for case in json.load(open(sys.argv[2])):
    (xtr, ytr), (xte, yte), classes = twin.load_images(case["dataDir"], case["size"], case["channels"])
    out.append({"classes": classes, "train": [xtr.reshape(-1).tolist(), ytr.tolist()],
                "test": [xte.reshape(-1).tolist(), yte.tolist()]})
json.dump(out, open(sys.argv[3], "w"))
`);

describe('the PyTorch export of "images"', () => {
  it('reads the same classes, split and pixels as the lab', async () => {
    const dir = await tempDir('pruning-lab-torch-images-');
    const flat = fixtureEntries({ jpeg: false, perClass: 7 });
    const split = fixtureEntries({ layout: 'split', jpeg: false, root: 'shapes' });
    writeFolder(join(dir, 'flat'), flat);
    await writeFile(join(dir, 'split.zip'), zipFolder(split));
    const cases: {
      entries: typeof flat;
      dataDir: string;
      size: number;
      channels: ImageChannels;
    }[] = [
      { entries: flat, dataDir: join(dir, 'flat'), size: 8, channels: 'rgb' },
      { entries: flat, dataDir: join(dir, 'flat'), size: 16, channels: 'grey' },
      { entries: split, dataDir: join(dir, 'split.zip'), size: 11, channels: 'rgb' },
    ];
    await writeFile(join(dir, 'twin.py'), pytorchScript(parseConfig({})));
    await writeFile(join(dir, 'harness.py'), HARNESS);
    await writeFile(
      join(dir, 'in.json'),
      JSON.stringify(cases.map(({ entries: _entries, ...c }) => c)),
    );
    await run(python, [join(dir, 'harness.py'), join(dir, 'twin.py'), 'in.json', 'out.json'], {
      cwd: dir,
      maxBuffer: 1 << 26,
    });
    const twin = JSON.parse(await readFile(join(dir, 'out.json'), 'utf8')) as {
      classes: string[];
      train: [number[], number[]];
      test: [number[], number[]];
    }[];
    for (const [i, c] of cases.entries()) {
      const lab = await readImageFolder(c.entries, decodeImageNode, c);
      expect(twin[i]!.classes, c.dataDir).toEqual(lab.classNames);
      expect(twin[i]!.train[1], c.dataDir).toEqual([...lab.train.labels]);
      expect(twin[i]!.test[1], c.dataDir).toEqual([...lab.test.labels]);
      expect(twin[i]!.train[0], c.dataDir).toEqual([...lab.train.images]);
      expect(twin[i]!.test[0], c.dataDir).toEqual([...lab.test.images]);
    }
  }, 120_000);

  it('trains on a .zip of class folders, the model shaped by the data', async () => {
    const dir = await tempDir('pruning-lab-torch-images-run-');
    await writeFile(join(dir, 'shapes.zip'), zipFolder(fixtureEntries({ root: 'shapes' })));
    const config = parseConfig({
      dataset: 'images',
      model: 'lenet300',
      imageSize: 12,
      imageChannels: 'grey',
      denseEpochs: 1,
      cycles: 1,
      retrainEpochs: 1,
      batchSize: 4,
    });
    await writeFile(join(dir, 'experiment.py'), pytorchScript(config));
    await run(
      python,
      ['experiment.py', '--device', 'cpu', '--threads', '1', '--data-dir', 'shapes.zip'],
      { cwd: dir },
    );
    const read = parseResultsJson(await readFile(join(dir, 'results.json'), 'utf8'), 'r.json');
    if ('error' in read) throw new Error(read.error);
    expect(read.results.config).toEqual(config);
    expect(read.results.model.layers.map((l) => l.shape)).toEqual([
      [144, 300],
      [300, 100],
      [100, 3],
    ]);
    expect(read.results.dense!.iterations).toBe(4); // 16 training images, batches of 4
    expect(read.results.cycles[0]!.sparsity).toBeCloseTo(0.9, 2);
  }, 120_000);
});
