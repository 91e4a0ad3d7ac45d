/**
 * CIFAR-10 / CIFAR-100 binary archives, generated in the exact distributed layout and packed
 * by GNU tar (src/test/cifar-fixture.ts): records, labels, the plane-to-HWC order, per-channel
 * statistics, the unpacked folder, and wrong or damaged files refused in words.
 */
import { openAsBlob, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadCifar } from '../cli/node-data';
import {
  cifar100Fine,
  cifar10Label,
  pixelAt,
  writeCifar10,
  writeCifar100,
} from '../test/cifar-fixture';
import { readCifarArchive } from './cifar';
import { fillBatch } from './dataset';

const blob = (bytes: Uint8Array) => new Blob([bytes as BlobPart]);

describe('CIFAR-10 binary archive', () => {
  const fixture = writeCifar10(3, 4);

  it('reads every batch: counts, labels, pixels height x width x channel', async () => {
    const progress: number[] = [];
    const data = await readCifarArchive(
      await openAsBlob(fixture.archive),
      'cifar-10-binary.tar.gz',
      'cifar10',
      ({ loadedBytes, totalBytes }) => progress.push(loadedBytes / totalBytes),
    );
    expect(data.name).toBe('cifar10');
    expect(data.imageShape).toEqual([32, 32, 3]);
    expect(data.numClasses).toBe(10);
    expect(data.train.count).toBe(15);
    expect(data.test.count).toBe(4);
    expect([...data.train.labels]).toEqual([...Array(15).keys()].map(cifar10Label));
    expect([...data.test.labels]).toEqual([1000, 1001, 1002, 1003].map(cifar10Label));
    // Training image 7 (batch 3, record 2): pixel (row 5, column 9), green.
    const p = 5 * 32 + 9;
    expect(data.train.images[7 * 3072 + p * 3 + 1]).toBe(pixelAt(7, 1, p));
    expect(data.test.images[2 * 3072 + p * 3 + 2]).toBe(pixelAt(1002, 2, p));
    expect(progress.at(-1)).toBe(1);
  });

  it('normalises per channel by the training set’s own mean and std', async () => {
    const data = await readCifarArchive(await openAsBlob(fixture.archive), 'a.tar.gz');
    for (let ch = 0; ch < 3; ch++) {
      const values: number[] = [];
      for (let n = 0; n < 15; n++)
        for (let p = 0; p < 1024; p++) values.push(pixelAt(n, ch, p) / 255);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
      expect(data.channelMean![ch]).toBeCloseTo(mean, 10);
      expect(data.channelStd![ch]).toBeCloseTo(std, 10);
    }
    const out = new Float32Array(3072);
    fillBatch(data, data.train, [0], 0, 1, out, new Int32Array(1));
    expect(out[3 * 10 + 2]).toBeCloseTo(
      (pixelAt(0, 2, 10) / 255 - data.channelMean![2]!) / data.channelStd![2]!,
      5,
    );
  });

  it('the CLI reads the .tar.gz, its unpacked folder, or the folder above it alike', async () => {
    const fromArchive = await loadCifar('cifar10', fixture.archive);
    const fromFolder = await loadCifar('cifar10', join(fixture.folder, 'cifar-10-batches-bin'));
    const fromParent = await loadCifar('cifar10', fixture.folder);
    for (const data of [fromFolder, fromParent]) {
      expect(data.train.images).toEqual(fromArchive.train.images);
      expect(data.test.labels).toEqual(fromArchive.test.labels);
    }
    await expect(loadCifar('cifar10')).rejects.toThrow(/set "dataDir" to cifar-10-binary\.tar\.gz/);
  });

  it('refuses a truncated archive, a wrong file and the other CIFAR, in words', async () => {
    const bytes = new Uint8Array(readFileSync(fixture.archive));
    const cut = blob(bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(readCifarArchive(cut, 'cifar-10-binary.tar.gz', 'cifar10')).rejects.toThrow(
      /cifar-10-binary\.tar\.gz (could not be unpacked: the gzip data is truncated or damaged|: The archive is truncated)/,
    );
    const notTar = blob(gzipSync(new Uint8Array(5000).fill(65)));
    await expect(readCifarArchive(notTar, 'photo.gz', 'cifar10')).rejects.toThrow(
      /photo\.gz: This is not a tar archive .* It is not a CIFAR-10 archive\./,
    );
    const plain = blob(new TextEncoder().encode('hello'));
    await expect(readCifarArchive(plain, 'notes.txt', 'cifar10')).rejects.toThrow(/notes\.txt/);
    const other = writeCifar100(2, 2);
    await expect(
      readCifarArchive(await openAsBlob(other.archive), 'x.tar.gz', 'cifar10'),
    ).rejects.toThrow(/x\.tar\.gz is CIFAR-100, not CIFAR-10/);
  });

  it('refuses a batch that is not whole records, naming it', async () => {
    const broken = writeCifar10(2, 2);
    const batch = join(broken.folder, 'cifar-10-batches-bin', 'data_batch_2.bin');
    writeFileSync(batch, readFileSync(batch).subarray(0, 3073 + 100));
    await expect(loadCifar('cifar10', broken.folder)).rejects.toThrow(
      /data_batch_2\.bin has 3,173 bytes, not a whole number of CIFAR-10 records \(3,073 bytes each\)/,
    );
  });
});

describe('CIFAR-100 binary archive', () => {
  it('uses the fine labels (the second label byte), 100 classes', async () => {
    const fixture = writeCifar100(12, 5);
    const data = await loadCifar('cifar100', fixture.archive);
    expect(data.numClasses).toBe(100);
    expect(data.train.count).toBe(12);
    expect(data.test.count).toBe(5);
    expect([...data.train.labels]).toEqual([...Array(12).keys()].map(cifar100Fine));
    expect(data.train.images[4 * 3072 + 3 * 100]).toBe(pixelAt(4, 0, 100));
  });
});
