import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { syntheticDataset } from '../data/synthetic';
import { ImpSession } from '../engine/imp-session';
import { tinyConfig } from '../test/fixtures';
import { decodeResults, encodeResults, parseResultsJson } from './results-link';

const b64url = (bytes: Buffer) => bytes.toString('base64url');

describe('share-results links', async () => {
  const session = new ImpSession(tinyConfig(), syntheticDataset(), { runtime: 'node' });
  const results = await session.runAll();
  session.dispose();

  it('carry a whole run compressed and give it back exactly', async () => {
    const data = await encodeResults(results);
    expect(data).toMatch(/^[A-Za-z0-9_-]+$/); // URL-safe as it stands
    expect(data.length).toBeLessThan(JSON.stringify(results).length / 2); // base64 included
    // An independent inflater (Node's zlib) reads it as the results JSON.
    const inflated = JSON.parse(
      (await import('node:zlib')).inflateRawSync(Buffer.from(data, 'base64url')).toString(),
    );
    expect(inflated).toEqual(results);
    expect(await decodeResults(data)).toEqual({ results });
  });

  it('say why a damaged, foreign or oversized one cannot be read', async () => {
    const data = await encodeResults(results);
    expect(await decodeResults(data.slice(0, data.length / 2))).toEqual({
      error: 'The shared run could not be read: the data is damaged or cut short.',
    });
    expect(await decodeResults('!!!not base64!!!')).toHaveProperty('error');
    expect(await decodeResults(b64url(deflateRawSync('{"hello": 1}')))).toEqual({
      error: expect.stringMatching(/^The shared run is not a Pruning Lab results file \(/),
    });
    expect(await decodeResults(b64url(deflateRawSync('not json')))).toEqual({
      error: 'The shared run could not be read: it is not JSON.',
    });
    // 100 MB of zeros deflates to about 100 KB: refused at 8 MB, not inflated.
    const bomb = b64url(deflateRawSync(Buffer.alloc(100 * 1024 * 1024)));
    expect(await decodeResults(bomb)).toEqual({
      error: 'The shared run could not be read: the results inflate to more than 8 MB.',
    });
  });

  it('results files are checked the same way', () => {
    expect(parseResultsJson(JSON.stringify(results), 'f.json')).toEqual({ results });
    const wrong = { ...results, schemaVersion: 7 };
    expect(parseResultsJson(JSON.stringify(wrong), '“f.json”')).toEqual({
      error: expect.stringMatching(
        /^“f\.json” is not a Pruning Lab results file \(schemaVersion: /,
      ),
    });
  });
});
