import { deflateRawSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { syntheticDataset } from '../data/synthetic';
import { ImpSession } from '../engine/imp-session';
import { resultsSchema, type Results } from '../schema/results';
import { tinyConfig } from '../test/fixtures';
import { MAX_RESULTS_LENGTH } from './page-link';
import { MAX_RESULTS_BYTES, decodeResults, encodeResults, parseResultsJson } from './results-link';

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

  /** A copy of `results` changed by `edit` (a deep copy: the original stays as it is). */
  const forged = (edit: (doc: Results) => void) => {
    const doc = structuredClone(results);
    edit(doc);
    return doc;
  };
  const shared = (doc: unknown) => b64url(deflateRawSync(JSON.stringify(doc)));

  it('refuse a forged run with 20,000 layers per cycle at once, naming the model (issue 11)', async () => {
    const doc = forged((d) => {
      for (const cycle of d.cycles) {
        cycle.layers = Array.from({ length: 20000 }, (_, i) => ({
          ...cycle.layers[0]!,
          name: `l${i}`,
        }));
      }
    });
    const data = shared(doc);
    // A link the page reads whole, inflating to less than the 8 MB cap: the cap is not what
    // refuses it.
    expect(data.length).toBeLessThan(MAX_RESULTS_LENGTH);
    expect(JSON.stringify(doc).length).toBeLessThan(MAX_RESULTS_BYTES);
    const walk = vi.spyOn(resultsSchema, 'safeParse');
    const decoded = await decodeResults(data);
    expect(decoded).toEqual({
      error:
        'The shared run does not match the model it names: cycle 1 lists 20,000 layers; ' +
        'LeNet-300-100 (MLP) has 3 (fc1, fc2, fc3).',
    });
    // Refused from the lists' lengths, before the schema walks the 20,000 layers (what froze
    // the page); how fast that is belongs in a bench, not in this test.
    expect(walk).not.toHaveBeenCalled();
    // (The spy sees the schema's walk: a well-formed run is walked.)
    await decodeResults(shared(results));
    expect(walk).toHaveBeenCalled();
    walk.mockRestore();
    // The same document as a file is refused the same way.
    expect(parseResultsJson(JSON.stringify(doc), '“big.json”')).toEqual({
      error: expect.stringMatching(
        /^“big\.json” does not match the model it names: cycle 1 lists 20,000 layers/,
      ),
    });
  });

  it('refuse lists longer than the settings they name can give', () => {
    const check = (edit: (doc: Results) => void) =>
      (parseResultsJson(JSON.stringify(forged(edit)), 'The shared run') as { error: string }).error;
    // tinyConfig: 2 cycles of 1 retraining epoch, 1 dense epoch, 1,024 images in batches of 64.
    expect(check((d) => (d.cycles = Array.from({ length: 60 }, () => d.cycles[0]!)))).toBe(
      'The shared run does not fit the settings it names: the run has 60 cycles, more than ' +
        'those settings give (2).',
    );
    expect(
      check(
        (d) => (d.cycles[1]!.epochs = Array.from({ length: 500 }, () => d.cycles[1]!.epochs[0]!)),
      ),
    ).toBe(
      'The shared run does not fit the settings it names: cycle 2 has 500 epochs, more than ' +
        'those settings give (1).',
    );
    // 1,024 / 64 = 16 iterations per epoch.
    expect(check((d) => d.dense!.lrSchedule!.push(...d.dense!.lrSchedule!))).toBe(
      'The shared run does not fit the settings it names: its training has 32 learning rates, ' +
        'more than those settings give (16).',
    );
    // Layer sensitivity: at most one analysis per state (dense and 2 cycles), one curve per
    // layer and global pruning's, at most 100 points each.
    const curve = (layer: string, n: number) => ({
      layer,
      points: Array.from({ length: n }, () => ({
        layerSparsity: 0.5,
        overallSparsity: 0.5,
        testAccuracy: 0.9,
      })),
    });
    const analysis = (cycle: number, curves: ReturnType<typeof curve>[]) => ({
      cycle,
      levels: [0.5],
      curves,
    });
    const fine = ['fc1', 'fc2', 'fc3', 'global'].map((l) => curve(l, 9));
    expect(
      parseResultsJson(
        JSON.stringify(forged((d) => (d.sensitivity = [analysis(2, fine)]))),
        'The shared run',
      ),
    ).toHaveProperty('results.sensitivity.0.cycle', 2);
    expect(check((d) => (d.sensitivity = [0, 1, 2, 3].map((c) => analysis(c, fine))))).toBe(
      'The shared run does not fit the settings it names: the run has 4 sensitivity analyses, ' +
        'more than those settings give (3).',
    );
    expect(
      check(
        (d) =>
          (d.sensitivity = [
            analysis(
              1,
              Array.from({ length: 20000 }, (_, i) => curve(`l${i}`, 1)),
            ),
          ]),
      ),
    ).toBe(
      'The shared run does not match the model it names: sensitivity analysis 1 has 20,000 ' +
        "curves; LeNet-300-100 (MLP) has 3 layers, and one more curve is global pruning's.",
    );
    expect(
      check((d) => (d.sensitivity = [analysis(1, [...fine.slice(0, 3), curve('global', 5000)])])),
    ).toBe(
      'The shared run does not fit the settings it names: sensitivity analysis 1 has 5,000 ' +
        'points per curve, more than those settings give (100).',
    );
    expect(check((d) => (d.config.cycles = 0))).toBe(
      'The shared run is not a Pruning Lab results file (config.cycles: must be at least 1).',
    );
  });

  it('refuse layers that are not those of the model named', () => {
    const check = (edit: (doc: Results) => void) =>
      (parseResultsJson(JSON.stringify(forged(edit)), 'The shared run') as { error: string }).error;
    expect(check((d) => (d.model.layers[1]!.name = 'fcX'))).toBe(
      'The shared run does not match the model it names: layer 2 of its model is “fcX” with ' +
        "30,000 weights; LeNet-300-100 (MLP)'s is fc2 with 30,000.",
    );
    expect(check((d) => (d.cycles[0]!.layers[0]!.size = 10))).toBe(
      'The shared run does not match the model it names: layer 1 of cycle 1 is “fc1” with 10 ' +
        "weights; LeNet-300-100 (MLP)'s is fc1 with 235,200.",
    );
    // LeNet-300-100's layers under the name LeNet-5: 3 layers listed, LeNet-5 has 5.
    expect(check((d) => ((d.config.model = 'lenet5'), (d.model.name = 'lenet5')))).toBe(
      'The shared run does not match the model it names: its model lists 3 layers; ' +
        'LeNet-5 (CNN) has 5 (conv1, conv2, fc1, fc2, fc3).',
    );
    expect(check((d) => (d.model.name = 'resnet20'))).toBe(
      'The shared run does not match the model it names: its settings say lenet300, its model ' +
        'is called “resnet20”.',
    );
    expect(check((d) => (d.model.prunableParams = 5))).toBe(
      'The shared run does not match the model it names: it counts 5 prunable weights; ' +
        'LeNet-300-100 (MLP) has 266,200.',
    );
  });
});
