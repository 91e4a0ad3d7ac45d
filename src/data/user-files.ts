/**
 * What the user opened, whatever it is: a CIFAR-10 / CIFAR-100 binary archive (one .tar.gz or
 * .tar), the batch files of its unpacked folder (`data_batch_1.bin`, ... or `train.bin`,
 * `test.bin`), the four IDX files of a set of the MNIST family (.gz or raw), or images in class
 * folders (one .zip, or a folder's image files with their paths; src/data/image-folder.ts).
 * Reports the fraction read; a wrong or damaged file throws an Error in words. No DOM (File and
 * Blob are in workers and Node alike).
 */
import { cifarFromFiles, detectCifar, readCifarArchive } from './cifar';
import type { ImageDataset } from './dataset';
import { maybeGunzip } from './fetch-mnist';
import { idxSetFromFiles, looksLikeIdx } from './idx-files';
import {
  isImageName,
  readImageFolder,
  unzipEntries,
  type FolderEntry,
  type ImageDecoder,
  type ImageFolderOptions,
} from './image-folder';

export interface OpenedFile {
  name: string;
  blob: Blob;
  /** The file's path inside the folder the user opened (`cat/1.png`), where it came from one. */
  path?: string;
}

/** How images in class folders are read: the decoder, the size and channels (image-folder.ts). */
export interface ImageReading extends Omit<ImageFolderOptions, 'onProgress'> {
  decode: ImageDecoder;
}

/** Whether what was opened is an image folder: one .zip, or image files. */
export function isImageFolderOpening(files: readonly OpenedFile[]): boolean {
  if (files.length === 1 && /\.zip$/i.test(files[0]!.name)) return true;
  return files.some((f) => isImageName(f.path ?? f.name));
}

/**
 * The files of an opened image folder: a zip's members (fflate), or each file by its path.
 * Each entry's bytes are a buffer of their own (so storing one never stores the whole zip).
 */
export async function imageFolderFiles(
  files: readonly OpenedFile[],
  onProgress: (fraction: number) => void = () => {},
): Promise<FolderEntry[]> {
  if (files.length === 1 && /\.zip$/i.test(files[0]!.name)) {
    const [zip] = files;
    const entries = unzipEntries(new Uint8Array(await zip!.blob.arrayBuffer()), zip!.name);
    onProgress(1);
    return entries.map((e) => ({ path: e.path, bytes: e.bytes.slice() }));
  }
  const total = files.reduce((sum, f) => sum + f.blob.size, 0) || 1;
  let done = 0;
  const entries = [];
  for (const f of files) {
    entries.push({ path: f.path ?? f.name, bytes: new Uint8Array(await f.blob.arrayBuffer()) });
    done += f.blob.size;
    onProgress(done / total);
  }
  return entries;
}

/** The name to give an opened image folder in messages: the zip's, or the folder's. */
export function imageFolderName(files: readonly OpenedFile[]): string {
  if (files.length === 1 && !files[0]!.path) return files[0]!.name;
  const first = (files[0]?.path ?? '').split('/')[0];
  return first && files.every((f) => (f.path ?? '').startsWith(`${first}/`)) ? first : 'The folder';
}

const isBatchFile = (name: string) => /\.bin$/i.test(name);

export async function readUserFiles(
  files: readonly OpenedFile[],
  onProgress: (fraction: number) => void = () => {},
  images?: ImageReading,
): Promise<ImageDataset> {
  if (files.length === 0) throw new Error('No file was opened.');
  if (isImageFolderOpening(files)) {
    if (!images) throw new Error('This engine cannot decode images.');
    // A tenth for reading (and unzipping), the rest for decoding.
    const entries = await imageFolderFiles(files, (f) => onProgress(0.1 * f));
    return readImageFolder(
      entries,
      images.decode,
      { ...images, onProgress: (f) => onProgress(0.1 + 0.9 * f) },
      imageFolderName(files),
    );
  }
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
