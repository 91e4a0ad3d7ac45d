import { afterEach, describe, expect, it, vi } from 'vitest';
import { DataUnavailableError, fetchMnist } from './fetch-mnist';

describe('fetchMnist', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('says in words that MNIST is not in the offline copy when fetch fails (offline)', async () => {
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('Failed to fetch')));
    const loading = fetchMnist('http://127.0.0.1:1/data/mnist/');
    await expect(loading).rejects.toBeInstanceOf(DataUnavailableError);
    await expect(loading).rejects.toThrow(
      "MNIST is not in this browser's offline copy yet: connect once to download it.",
    );
    await expect(loading).rejects.toMatchObject({ name: 'Offline' });
  });

  it('names the missing file and the fix when the server answers 404', async () => {
    vi.stubGlobal('fetch', async () => new Response('no', { status: 404 }));
    await expect(fetchMnist('http://127.0.0.1:1/data/mnist/')).rejects.toThrow(
      /Could not load MNIST file .*train-images-idx3-ubyte\.gz: HTTP 404/,
    );
  });
});
