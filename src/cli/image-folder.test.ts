/**
 * `"dataset": "images"` in the CLI: a generated image folder (3 classes of PNGs and a JPEG) read
 * from `"dataDir"` as a folder by the real `npm run imp`, and as a .zip by the Node host, both
 * trained for one dense epoch; the models take their input shape (imageSize, imageChannels) and
 * class count from the data.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { resultsSchema } from '../schema/results';
import { fixtureEntries, writeFolder, zipFolder } from '../test/image-folder-fixture';
import { tinyConfig } from '../test/fixtures';
import { tempDirs } from '../test/temp-dirs';
import { createEngineHost } from '../worker/engine-host';
import { loadImageFolder } from './node-data';
import { nodeHostEnvironment } from './node-host';

const run = promisify(execFile);
const tempDir = tempDirs();
const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const entry = join(process.cwd(), 'src', 'cli', 'imp.ts');

describe('"dataset": "images" in the CLI', () => {
  it('trains one dense epoch on a folder of class folders (npm run imp)', async () => {
    const dir = await tempDir('pruning-lab-images-');
    const data = join(dir, 'shapes');
    writeFolder(data, fixtureEntries({ layout: 'split' }));
    const config = {
      dataset: 'images',
      model: 'lenet300',
      dataDir: data,
      imageSize: 12,
      imageChannels: 'grey',
      denseEpochs: 1,
      cycles: 1,
      retrainEpochs: 0,
      batchSize: 4,
      backend: 'cpu',
    };
    await writeFile(join(dir, 'config.json'), JSON.stringify(config));
    const out = join(dir, 'out');
    const { stdout } = await run(tsx, [entry, '--config', join(dir, 'config.json'), '--out', out]);
    expect(stdout).toContain('data: images, 19 train / 6 test images');
    const results = resultsSchema.parse(
      JSON.parse(await readFile(join(out, 'results.json'), 'utf8')),
    );
    expect(results.config).toMatchObject({ dataset: 'images', imageSize: 12 });
    // LeNet-300-100 on 12 x 12 grey images of 3 classes: fc1 144 x 300, fc3 100 x 3.
    expect(results.model.layers.map((l) => l.shape)).toEqual([
      [144, 300],
      [300, 100],
      [100, 3],
    ]);
    expect(results.dense!.epochs).toHaveLength(1);
    expect(results.cycles).toHaveLength(1);
  }, 120_000);

  it('reads a .zip as the folder, and says what "dataDir" should be', async () => {
    const dir = await tempDir('pruning-lab-images-zip-');
    const zip = join(dir, 'shapes.zip');
    await writeFile(zip, zipFolder(fixtureEntries({ root: 'shapes' })));
    const data = await loadImageFolder(zip, { size: 10, channels: 'rgb' });
    expect(data.imageShape).toEqual([10, 10, 3]);
    expect([data.numClasses, data.train.count, data.test.count]).toEqual([3, 16, 3]);
    const host = createEngineHost(nodeHostEnvironment());
    const snapshot = await host.configure(
      tinyConfig({
        dataset: 'images',
        dataDir: zip,
        imageSize: 10,
        cycles: 1,
        retrainEpochs: 0,
        batchSize: 4,
      }),
    );
    expect(snapshot.dataset).toEqual({ name: 'images', train: 16, test: 3 });
    const results = await host.trainDense();
    expect(results.model.layers[0]!.shape).toEqual([300, 300]);
    expect(results.model.layers[2]!.shape).toEqual([100, 3]);
    await expect(loadImageFolder()).rejects.toThrow(/set "dataDir" to a folder \(or a \.zip\)/);
    await expect(loadImageFolder(join(dir, 'nowhere'))).rejects.toThrow(/does not exist/);
  }, 120_000);
});
