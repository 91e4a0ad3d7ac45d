/**
 * The user's own files, whatever they are: four IDX files of the MNIST family under any names
 * (.gz or raw; classes from the labels), CIFAR batch files opened without their archive, and
 * wrong files refused in words. On generated files, and on the real Fashion-MNIST files opened
 * as one's own.
 */
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDatasetNode, loadIdxFiles } from '../cli/node-data';
import { cifar10Label, writeCifar10 } from '../test/cifar-fixture';
import { FASHION_MNIST_DEBIAN_DIR } from './fashion-mnist';
import { encodeIdx } from './idx';
import { readUserFiles, type OpenedFile } from './user-files';

const file = (name: string, bytes: Uint8Array): OpenedFile => ({
  name,
  blob: new Blob([bytes as BlobPart]),
});

/** A tiny EMNIST-like set: 26 letter classes, labels n mod 26. */
function tinyIdx(train = 30, test = 8) {
  const images = (n: number, first: number) =>
    encodeIdx(
      [n, 28, 28],
      Uint8Array.from({ length: n * 784 }, (_, i) => (i + first) % 256),
    );
  const labels = (n: number, first: number) =>
    encodeIdx(
      [n],
      Uint8Array.from({ length: n }, (_, i) => (i + first) % 26),
    );
  return [
    file('emnist-letters-test-labels-idx1-ubyte.gz', gzipSync(labels(test, 5))),
    file('emnist-letters-train-images-idx3-ubyte', images(train, 0)),
    file('emnist-letters-test-images-idx3-ubyte.gz', gzipSync(images(test, 3))),
    file('emnist-letters-train-labels-idx1-ubyte', labels(train, 0)),
  ];
}

describe('your own IDX files', () => {
  it('tells the four apart by their shapes, in any order and naming, .gz or raw', async () => {
    const progress: number[] = [];
    const data = await readUserFiles(tinyIdx(), (f) => progress.push(f));
    expect(data.name).toBe('idx');
    expect(data.imageShape).toEqual([28, 28, 1]);
    expect(data.numClasses).toBe(26);
    expect(data.train.count).toBe(30);
    expect(data.test.count).toBe(8);
    expect(data.test.labels[0]).toBe(5);
    expect(data.test.images[0]).toBe(3);
    expect(progress.at(-1)).toBe(1);
  });

  it('refuses three files, a file that is not IDX, and a truncated one, in words', async () => {
    const four = tinyIdx();
    await expect(readUserFiles(four.slice(0, 3))).rejects.toThrow(
      /Open the four IDX files together .* got 3 files: 2 of images, 1 of labels\./,
    );
    const notes = file('notes.txt', new TextEncoder().encode('hello there, world'));
    await expect(readUserFiles([...four.slice(0, 3), notes])).rejects.toThrow(
      'notes.txt is not an IDX file of unsigned bytes.',
    );
    const raw = new Uint8Array(await four[1]!.blob.arrayBuffer());
    const cut = file('train-images-idx3-ubyte', raw.subarray(0, 1000));
    await expect(readUserFiles([four[0]!, cut, four[2]!, four[3]!])).rejects.toThrow(
      /train-images-idx3-ubyte: Truncated IDX file/,
    );
  });

  it('reads the real Fashion-MNIST files as your own: 60,000 / 10,000, 10 classes', async () => {
    const own = await loadIdxFiles(FASHION_MNIST_DEBIAN_DIR);
    const builtIn = await loadDatasetNode('fashion-mnist');
    expect(own.numClasses).toBe(10);
    expect(own.train.count).toBe(60000);
    expect(own.test.count).toBe(10000);
    expect(own.train.labels).toEqual(builtIn.train.labels);
    expect(own.mean).toBeCloseTo(builtIn.mean, 3);
    expect(own.std).toBeCloseTo(builtIn.std, 3);
    await expect(loadIdxFiles()).rejects.toThrow(/set "dataDir" to the folder/);
  });
});

describe('CIFAR batch files opened without their archive', () => {
  it('reads the unpacked folder’s .bin files as the archive', async () => {
    const fixture = writeCifar10(2, 3);
    const dir = join(fixture.folder, 'cifar-10-batches-bin');
    const names = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`).concat('test_batch.bin');
    const data = await readUserFiles(
      names.map((name) => file(name, new Uint8Array(readFileSync(join(dir, name))))),
    );
    expect(data.name).toBe('cifar10');
    expect(data.train.count).toBe(10);
    expect([...data.test.labels]).toEqual([1000, 1001, 1002].map(cifar10Label));
    await expect(
      readUserFiles(names.slice(1).map((name) => file(name, readFileSync(join(dir, name))))),
    ).rejects.toThrow(/data_batch_1\.bin is missing/);
  });
});
