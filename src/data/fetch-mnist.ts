/**
 * Loads MNIST (or Fashion-MNIST) from the app's own origin: four gzip-compressed IDX files
 * under `baseUrl`, written at install/build time by scripts/prepare-data.mjs. Works wherever
 * fetch and DecompressionStream exist (a worker, Node 20). No DOM.
 */
import {
  MNIST_FILE_NAMES,
  MNIST_MEAN,
  MNIST_STD,
  idxDatasetFromFiles,
  type IdxSetInfo,
  type ImageDataset,
  type MnistFiles,
} from './dataset';

export interface LoadProgress {
  loadedBytes: number;
  totalBytes: number;
}

async function readAll(response: Response, onChunk: (bytes: number) => void): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.length;
    onChunk(value.length);
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** Gunzips `bytes` if they start with the gzip magic number (a server may already have). */
export async function maybeGunzip(bytes: Uint8Array): Promise<Uint8Array> {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes as BlobPart])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * Neither the network nor the service worker's offline copy (src/sw/service-worker.ts) could
 * give a data file: fetch rejected (a TypeError, 'Failed to fetch'), as it does offline.
 */
export class DataUnavailableError extends Error {
  constructor(
    readonly url: string,
    label = 'MNIST',
  ) {
    super(`${label} is not in this browser's offline copy yet: connect once to download it.`);
    this.name = 'Offline';
  }
}

/**
 * The server has no such file (404, or a page in its place, as a single-page host answers):
 * this build of the app was made without the data set.
 */
export class DatasetNotBuiltError extends Error {
  constructor(
    readonly url: string,
    message: string,
  ) {
    super(message);
    this.name = 'Not in this build';
  }
}

/** An IDX set served by the app: where its files are, what to call it, what to say if absent. */
export interface ServedIdxSet extends IdxSetInfo {
  /** The name shown in messages ("Fashion-MNIST"). */
  label: string;
  /** What to say when this build has no copy of the file at `url` (`status`: the answer's). */
  notBuilt: (url: string, status: number) => string;
}

const MNIST_SERVED: ServedIdxSet = {
  name: 'mnist',
  label: 'MNIST',
  numClasses: 10,
  mean: MNIST_MEAN,
  std: MNIST_STD,
  notBuilt: (url, status) =>
    `Could not load MNIST file ${url}: HTTP ${status}. ` +
    'Run `npm run prepare-data` (npm start does this) to create it.',
};

/**
 * Fetches and parses the four MNIST files, reporting compressed bytes received. A file that
 * cannot be fetched at all (offline, and not in the offline copy) throws DataUnavailableError.
 */
export function fetchMnist(
  baseUrl: string,
  onProgress: (progress: LoadProgress) => void = () => {},
): Promise<ImageDataset> {
  return fetchIdxSet(baseUrl, MNIST_SERVED, onProgress);
}

/**
 * Fetches and parses the four IDX files of `set` under `baseUrl` (`<name>.gz`), reporting
 * compressed bytes received. Offline and not in the offline copy: DataUnavailableError; not on
 * the server at all (this build lacks the set): DatasetNotBuiltError, saying `set.notBuilt`.
 */
export async function fetchIdxSet(
  baseUrl: string,
  set: ServedIdxSet,
  onProgress: (progress: LoadProgress) => void = () => {},
): Promise<ImageDataset> {
  const keys = Object.keys(MNIST_FILE_NAMES) as (keyof MnistFiles)[];
  const responses = await Promise.all(
    keys.map(async (key) => {
      const url = new URL(`${MNIST_FILE_NAMES[key]}.gz`, baseUrl).toString();
      const response = await fetch(url).catch(() => {
        throw new DataUnavailableError(url, set.label);
      });
      const html = (response.headers.get('content-type') ?? '').includes('text/html');
      if (response.status === 404 || (response.ok && html)) {
        throw new DatasetNotBuiltError(url, set.notBuilt(url, response.status));
      }
      if (!response.ok) {
        throw new Error(`Could not load ${set.label} file ${url}: HTTP ${response.status}.`);
      }
      return response;
    }),
  );
  const totalBytes = responses.reduce(
    (sum, r) => sum + Number(r.headers.get('content-length') ?? 0),
    0,
  );
  let loadedBytes = 0;
  const files = {} as MnistFiles;
  await Promise.all(
    responses.map(async (response, i) => {
      const raw = await readAll(response, (n) => {
        loadedBytes += n;
        onProgress({ loadedBytes, totalBytes: Math.max(totalBytes, loadedBytes) });
      });
      files[keys[i]!] = await maybeGunzip(raw);
    }),
  );
  return idxDatasetFromFiles(files, set);
}
