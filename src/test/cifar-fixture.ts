/**
 * Writes tiny CIFAR-10 / CIFAR-100 "binary version" archives in the exact distributed layout
 * (`cifar-10-batches-bin/data_batch_1..5.bin`, `test_batch.bin`, `batches.meta.txt`;
 * `cifar-100-binary/train.bin`, `test.bin`), packed by the system's GNU tar (an implementation
 * independent of the lab's reader). Pixel (record n, channel ch, position p) = (7n + 50ch + p)
 * mod 256; CIFAR-10 label n mod 10; CIFAR-100 fine label (3n) mod 100, coarse n mod 20. Node only.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const pixelAt = (n: number, ch: number, p: number) => (7 * n + 50 * ch + p) % 256;

/** `count` records from record number `first`, with `labels(n)` label bytes in front. */
export function cifarRecords(first: number, count: number, labels: (n: number) => number[]) {
  const size = labels(0).length + 3072;
  const out = new Uint8Array(count * size);
  for (let r = 0; r < count; r++) {
    const n = first + r;
    const head = labels(n);
    out.set(head, r * size);
    for (let ch = 0; ch < 3; ch++) {
      for (let p = 0; p < 1024; p++)
        out[r * size + head.length + ch * 1024 + p] = pixelAt(n, ch, p);
    }
  }
  return out;
}

export const cifar10Label = (n: number) => n % 10;
export const cifar100Fine = (n: number) => (3 * n) % 100;

export interface CifarFixture {
  /** The .tar.gz, and the folder it was packed from (holding the unpacked folder). */
  archive: string;
  folder: string;
  train: number;
  test: number;
}

/** A CIFAR-10 archive of 5 batches of `perBatch` records and a test batch of `test` records. */
export function writeCifar10(
  perBatch = 4,
  test = 6,
  dir = mkdtempSync(join(tmpdir(), 'cifar10-')),
): CifarFixture {
  const folder = join(dir, 'src');
  const inner = join(folder, 'cifar-10-batches-bin');
  mkdirSync(inner, { recursive: true });
  for (let b = 0; b < 5; b++) {
    writeFileSync(
      join(inner, `data_batch_${b + 1}.bin`),
      cifarRecords(b * perBatch, perBatch, (n) => [cifar10Label(n)]),
    );
  }
  writeFileSync(
    join(inner, 'test_batch.bin'),
    cifarRecords(1000, test, (n) => [cifar10Label(n)]),
  );
  writeFileSync(
    join(inner, 'batches.meta.txt'),
    'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n',
  );
  const archive = join(dir, 'cifar-10-binary.tar.gz');
  tar(folder, archive, 'cifar-10-batches-bin');
  return { archive, folder, train: 5 * perBatch, test };
}

/** A CIFAR-100 archive of `train` and `test` records. */
export function writeCifar100(
  train = 12,
  test = 5,
  dir = mkdtempSync(join(tmpdir(), 'cifar100-')),
): CifarFixture {
  const folder = join(dir, 'src');
  const inner = join(folder, 'cifar-100-binary');
  mkdirSync(inner, { recursive: true });
  const labels = (n: number) => [n % 20, cifar100Fine(n)];
  writeFileSync(join(inner, 'train.bin'), cifarRecords(0, train, labels));
  writeFileSync(join(inner, 'test.bin'), cifarRecords(1000, test, labels));
  writeFileSync(join(inner, 'fine_label_names.txt'), 'apple\n');
  const archive = join(dir, 'cifar-100-binary.tar.gz');
  tar(folder, archive, 'cifar-100-binary');
  return { archive, folder, train, test };
}

function tar(cwd: string, archive: string, member: string): void {
  const result = spawnSync('tar', ['czf', archive, '-C', cwd, member]);
  if (result.status !== 0) throw new Error(`tar failed: ${result.stderr.toString()}`);
}
