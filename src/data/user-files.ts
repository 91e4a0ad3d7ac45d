/**
 * What the user opened, whatever it is: a CIFAR-10 / CIFAR-100 binary archive (one .tar.gz or
 * .tar), the batch files of its unpacked folder (`data_batch_1.bin`, ... or `train.bin`,
 * `test.bin`), or the four IDX files of a set of the MNIST family (.gz or raw). Reports the
 * fraction read; a wrong or damaged file throws an Error in words. No DOM (File and Blob are in
 * workers and Node alike).
 */
import { cifarFromFiles, detectCifar, readCifarArchive } from './cifar';
import type { ImageDataset } from './dataset';
import { maybeGunzip } from './fetch-mnist';
import { idxSetFromFiles, looksLikeIdx } from './idx-files';

export interface OpenedFile {
  name: string;
  blob: Blob;
}

const isBatchFile = (name: string) => /\.bin$/i.test(name);

export async function readUserFiles(
  files: readonly OpenedFile[],
  onProgress: (fraction: number) => void = () => {},
): Promise<ImageDataset> {
  if (files.length === 0) throw new Error('No file was opened.');
  const total = files.reduce((sum, f) => sum + f.blob.size, 0) || 1;
  const cifar = detectCifar(files.map((f) => f.name));
  if (cifar && files.every((f) => isBatchFile(f.name))) {
    let done = 0;
    const batches = new Map<string, Uint8Array>();
    for (const f of files) {
      batches.set(
        f.name.slice(f.name.lastIndexOf('/') + 1),
        new Uint8Array(await f.blob.arrayBuffer()),
      );
      done += f.blob.size;
      onProgress(done / total);
    }
    return cifarFromFiles(cifar, batches);
  }
  const head = await Promise.all(files.map((f) => headOf(f.blob)));
  const idxLike = files.filter((f, i) => /idx[13]/i.test(f.name) || looksLikeIdx(head[i]!));
  if (files.length === 1 && idxLike.length === 0) {
    const [file] = files;
    return readCifarArchive(file!.blob, file!.name, null, ({ loadedBytes, totalBytes }) =>
      onProgress(totalBytes > 0 ? loadedBytes / totalBytes : 1),
    );
  }
  let done = 0;
  const opened = [];
  for (const f of files) {
    let bytes;
    try {
      bytes = await maybeGunzip(new Uint8Array(await f.blob.arrayBuffer()));
    } catch (error) {
      throw new Error(`${f.name} could not be unpacked: the gzip data is truncated or damaged.`, {
        cause: error,
      });
    }
    opened.push({ name: f.name, bytes });
    done += f.blob.size;
    onProgress(done / total);
  }
  return idxSetFromFiles(opened);
}

/** The first bytes of a file as stored: IDX's header, or gzip's magic number. */
async function headOf(blob: Blob): Promise<Uint8Array> {
  return new Uint8Array(await blob.slice(0, 8).arrayBuffer());
}
