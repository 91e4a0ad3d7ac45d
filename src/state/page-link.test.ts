import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BACKEND_SETTINGS,
  CRITERIA,
  DATASETS,
  DEFAULT_CONFIG,
  MODELS,
  REGIMES,
  RETRAIN_SCHEDULES,
  REWIND_POINTS,
  configSchema,
  type ExperimentConfig,
} from '../schema/config';
import { MODEL_LAYERS } from '../core/models';
import {
  LINK_VERSION,
  MAX_LINK_LENGTH,
  decodePageLink,
  encodePageLink,
  onBuiltInData,
  type PageLink,
} from './page-link';
import { PRESETS } from './presets';
import { DEFAULT_VIEW, type ViewOptions } from './view';

/** The settings' part of the page link (the default view, no preset). */
const encodeConfig = (config: ExperimentConfig) =>
  encodePageLink({ config, view: DEFAULT_VIEW, preset: null });
const decodeConfig = (hash: string) => {
  const { config, ignored } = decodePageLink(hash);
  return { config, ignored };
};

/** Any valid config: every field over its whole range, overrides on the model's own layers. */
const anyConfig: fc.Arbitrary<ExperimentConfig> = fc
  .record({
    dataset: fc.constantFrom(...DATASETS),
    dataDir: fc.constantFrom('', 'cifar-10-binary.tar.gz', '/data/my cifar&more'),
    augment: fc.boolean(),
    imageSize: fc.integer({ min: 8, max: 64 }),
    imageChannels: fc.constantFrom('grey' as const, 'rgb' as const),
    validationSplit: fc.constantFrom(0, 0.1, 0.25),
    model: fc.constantFrom(...MODELS),
    regime: fc.constantFrom(...REGIMES),
    denseEpochs: fc.integer({ min: 1, max: 200 }),
    targetSparsity: fc.double({ min: 0, max: 0.999, noNaN: true }),
    cycles: fc.integer({ min: 1, max: 50 }),
    retrainEpochs: fc.integer({ min: 0, max: 100 }),
    retrainSchedule: fc.constantFrom(...RETRAIN_SCHEDULES),
    rewind: fc.constantFrom(...REWIND_POINTS),
    rewindEpoch: fc.integer({ min: 1, max: 200 }),
    gmpStart: fc.double({ min: 0, max: 1, noNaN: true }),
    gmpEnd: fc.double({ min: 0, max: 1, noNaN: true }),
    gmpEvery: fc.integer({ min: 1, max: 100000 }),
    bnRecalibration: fc.boolean(),
    repeats: fc.integer({ min: 1, max: 10 }),
    overrides: fc.array(
      fc.tuple(
        fc.nat(),
        fc.oneof(fc.constant('exclude' as const), fc.double({ min: 0, max: 0.999, noNaN: true })),
      ),
      { maxLength: 4 },
    ),
    criterion: fc.constantFrom(...CRITERIA),
    lr: fc.double({ min: 1e-6, max: 10, noNaN: true }),
    batchSize: fc.integer({ min: 1, max: 4096 }),
    weightDecay: fc.double({ min: 0, max: 0.1, noNaN: true }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    backend: fc.constantFrom(...BACKEND_SETTINGS),
  })
  .map(({ overrides, ...rest }) => {
    const layers = MODEL_LAYERS[rest.model];
    const layerOverrides: ExperimentConfig['layerOverrides'] = {};
    for (const [i, value] of overrides) layerOverrides[layers[i % layers.length]!] = value;
    const [gmpStart, gmpEnd] = [rest.gmpStart, rest.gmpEnd].sort((a, b) => a - b);
    return {
      ...rest,
      gmpStart: gmpStart!,
      gmpEnd: gmpEnd!,
      rewindEpoch: Math.min(rest.rewindEpoch, rest.denseEpochs),
      layerOverrides,
    };
  })
  // Overrides that cannot reach the target are not a valid config (core/override-feasibility).
  .filter((config) => configSchema.safeParse(config).success);

describe('share links', () => {
  it('round-trip every valid config exactly, with nothing ignored (property)', () => {
    fc.assert(
      fc.property(anyConfig, (config) => {
        expect(configSchema.safeParse(config).success).toBe(true);
        const decoded = decodeConfig(`#${encodeConfig(config)}`);
        expect(decoded.ignored).toEqual([]);
        expect(decoded.config).toEqual(config);
      }),
      { numRuns: 300 },
    );
  });

  it('are short and readable: only what differs from the defaults', () => {
    expect(encodeConfig(DEFAULT_CONFIG)).toBe(`v=${LINK_VERSION}`);
    const link = encodeConfig({
      ...DEFAULT_CONFIG,
      model: 'lenet300',
      targetSparsity: 0.95,
      layerOverrides: { fc3: 'exclude', fc1: 0.98 },
    });
    expect(link).toBe('v=2&model=lenet300&targetSparsity=0.95&layerOverrides=fc3:exclude,fc1:0.98');
    // An old link without a version is read as the current one.
    expect(decodeConfig('model=lenet5&cycles=3').config).toMatchObject({
      model: 'lenet5',
      cycles: 3,
    });
  });

  it('never break on a mangled link: defaults for what cannot be read, each part named', () => {
    const cases: [string, Partial<ExperimentConfig>, RegExp[]][] = [
      ['#v=2&cycles=abc&model=lenet5', { model: 'lenet5', cycles: 5 }, [/^cycles=abc \(/]],
      ['#v=2&targetSparsity=1.5', { targetSparsity: 0.9 }, [/^targetSparsity=1\.5 \(.*0\.999/]],
      ['#v=2&colour=red&cycles=2', { cycles: 2 }, [/^colour \(not a setting\)$/]],
      [
        '#v=2&model=lenet300&layerOverrides=conv1:exclude,fc1:0.95',
        { model: 'lenet300', layerOverrides: { fc1: 0.95 } },
        [/^layerOverrides conv1 \(lenet300 has no prunable layer "conv1"/],
      ],
      [
        // Issue 11: overrides that cannot reach the target are dropped, with the numbers.
        '#v=2&model=lenet5&targetSparsity=0.95&cycles=2&layerOverrides=conv1:exclude,fc1:0.8',
        { model: 'lenet5', targetSparsity: 0.95, cycles: 2 },
        [
          /^layerOverrides=conv1:exclude,fc1:0\.8 \(cannot reach 95% sparsity: .* the other layers \(conv2, fc2, fc3\) hold 13,320 weights, and 95% needs 19,996 more pruned\./,
        ],
      ],
      ['#v=2&cycles=0', { cycles: 5 }, [/^cycles=0 \(must be at least 1\)$/]],
      ['#v=2&layerOverrides=fc1', { layerOverrides: {} }, [/^layerOverrides=fc1 \(/]],
      [
        '#v=2&rewind=epoch&rewindEpoch=9',
        { rewind: 'epoch', rewindEpoch: 1 },
        [/^rewindEpoch=9 \(must be at most denseEpochs \(3\)\)$/],
      ],
      ['#v=99&cycles=2', { cycles: 2 }, [/^v=99: made by a newer version/]],
      ['#v=abc', {}, [/^v=abc \(not a link version/]],
      ['#v=2&bnRecalibration=maybe', { bnRecalibration: false }, [/^bnRecalibration=maybe/]],
      ['#v=2&cycles=', { cycles: 5 }, [/^cycles= \(/]],
      ['#v=2&__proto__=1&constructor=x', {}, [/^__proto__ \(not a setting\)$/, /^constructor/]],
      [
        '#v=2&layerOverrides=__proto__:0.5',
        { layerOverrides: {} },
        [/^layerOverrides=__proto__:0.5 \(expected layer:value pairs/],
      ],
      [
        '#%E0%A4%A&cycles=%zz&model=lenet5%',
        { cycles: 5 },
        [/not a setting/, /^cycles=%zz/, /^model=lenet5%/],
      ],
      ['#v=2&dataset=mnist&model=lene', { dataset: 'mnist' }, [/^model=lene \(/]], // truncated
    ];
    for (const [hash, expected, messages] of cases) {
      const { config, ignored } = decodeConfig(hash);
      expect(configSchema.safeParse(config).success, hash).toBe(true);
      expect(config, hash).toEqual({ ...DEFAULT_CONFIG, ...expected });
      expect(ignored, hash).toHaveLength(messages.length);
      messages.forEach((m, i) => expect(ignored[i], hash).toMatch(m));
    }
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('read a version-1 link with its own defaults: LeNet-300-100 on MNIST where it names none', () => {
    // Version 1's defaults were LeNet-300-100 on MNIST, and a link leaves defaults out.
    expect(DEFAULT_CONFIG).toMatchObject({ model: 'lenet5', dataset: 'fashion-mnist' });
    const old = decodeConfig('#v=1&cycles=2');
    expect(old.ignored).toEqual([]);
    expect(old.config).toEqual({
      ...DEFAULT_CONFIG,
      model: 'lenet300',
      dataset: 'mnist',
      cycles: 2,
    });
    // Written again, it says both (the current defaults differ), in the schema's order.
    expect(encodeConfig(old.config)).toBe('v=2&dataset=mnist&model=lenet300&cycles=2');
    // What a version-1 link does say is kept.
    expect(decodeConfig('#v=1&model=lenet5&dataset=synthetic').config).toMatchObject({
      model: 'lenet5',
      dataset: 'synthetic',
    });
    expect(decodeConfig('#v=1&model=conv4').config).toMatchObject({
      model: 'conv4',
      dataset: 'mnist',
    });
    // Its overrides name LeNet-300-100's layers, and still find them.
    const overrides = decodeConfig('#v=1&targetSparsity=0.95&layerOverrides=fc3:exclude');
    expect(overrides.ignored).toEqual([]);
    expect(overrides.config.layerOverrides).toEqual({ fc3: 'exclude' });
    expect(overrides.config.model).toBe('lenet300');
    // A link of the current version, or with no version, reads the current defaults.
    expect(decodeConfig('#v=2&cycles=2').config).toEqual({ ...DEFAULT_CONFIG, cycles: 2 });
    expect(decodeConfig('#cycles=2').config).toEqual({ ...DEFAULT_CONFIG, cycles: 2 });
  });

  it('start on MNIST in a build without Fashion-MNIST, and say so', () => {
    const plain = decodePageLink('');
    expect(onBuiltInData(plain, true)).toBe(plain);
    const fallback = onBuiltInData(plain, false);
    expect(fallback.config).toEqual({ ...DEFAULT_CONFIG, dataset: 'mnist' });
    expect(fallback.ignored).toEqual([expect.stringMatching(/^dataset=fashion-mnist \(not built/)]);
    // Another data set is left alone, and so is what else the link says.
    const synthetic = decodePageLink('#v=2&dataset=synthetic&cycles=2&classroom=1');
    expect(onBuiltInData(synthetic, false)).toBe(synthetic);
    const named = onBuiltInData(
      decodePageLink('#v=2&dataset=fashion-mnist&cycles=2&lock=1'),
      false,
    );
    expect(named.config).toMatchObject({ dataset: 'mnist', cycles: 2 });
    expect(named.view.lock).toBe(true);
  });

  it('cut an over-long link and cap the list of ignored parts', () => {
    const long = `#v=2&cycles=2&${'x=1&'.repeat(2000)}`;
    const { config, ignored } = decodeConfig(long);
    expect(config.cycles).toBe(2);
    expect(ignored[0]).toBe(`the link beyond its first ${MAX_LINK_LENGTH} characters`);
    expect(ignored).toHaveLength(9);
    expect(ignored.at(-1)).toMatch(/^and \d+ more$/);
  });

  it('always yield a valid config from any text (fuzz)', () => {
    const keys = ['v', 'cycles', 'model', 'layerOverrides', 'targetSparsity', 'rewindEpoch', 'x'];
    const pair = fc.tuple(fc.constantFrom(...keys), fc.string({ maxLength: 12 }));
    const hash = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.array(pair, { maxLength: 8 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&')),
    );
    fc.assert(
      fc.property(hash, (text) => {
        const { config } = decodeConfig(text);
        expect(configSchema.safeParse(config).success).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

const anyView: fc.Arbitrary<ViewOptions> = fc.record({
  classroom: fc.boolean(),
  hide: fc.uniqueArray(fc.constantFrom(...(Object.keys(DEFAULT_CONFIG) as string[])), {
    maxLength: 4,
  }),
  lock: fc.boolean(),
});
const anyResults = fc.option(fc.stringMatching(/^[A-Za-z0-9_-]{1,300}$/), { nil: null });

describe('the page link', () => {
  it('round-trips settings, view flags, preset and results together (property)', () => {
    fc.assert(
      fc.property(
        anyConfig,
        anyView,
        fc.option(fc.constantFrom(...PRESETS.map((p) => p.id)), { nil: null }),
        anyResults,
        (config, view, preset, results) => {
          const link: PageLink = { config, view, preset, results };
          const decoded = decodePageLink(`#${encodePageLink(link)}`);
          expect(decoded).toEqual({ ...link, ignored: [] });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads classroom, hidden controls, lock and preset beside the settings', () => {
    const hash = '#v=2&cycles=2&classroom=1&hide=lr,seed,nonsense&lock=1&preset=ft-vs-slr';
    expect(decodePageLink(hash)).toEqual({
      config: { ...DEFAULT_CONFIG, cycles: 2 },
      view: { classroom: true, hide: ['lr', 'seed'], lock: true },
      preset: 'ft-vs-slr',
      results: null,
      ignored: ['hide nonsense (not a setting)'],
    });
    expect(decodePageLink('#preset=nope')).toMatchObject({
      preset: null,
      ignored: ['preset=nope (no such guided experiment)'],
    });
    expect(decodePageLink('#lock=true&classroom=0').view).toEqual({
      classroom: false,
      hide: [],
      lock: true,
    });
    expect(decodePageLink('')).toEqual({
      config: DEFAULT_CONFIG,
      view: DEFAULT_VIEW,
      preset: null,
      results: null,
      ignored: [],
    });
  });

  it('writes the settings first, then the view, preset and results, in a fixed order', () => {
    const view = { classroom: true, hide: ['lr', 'batchSize'], lock: true };
    const link = { config: { ...DEFAULT_CONFIG, cycles: 2 }, view, preset: 'rewinding' };
    expect(encodePageLink(link)).toBe(
      'v=2&cycles=2&classroom=1&hide=lr,batchSize&lock=1&preset=rewinding',
    );
    expect(encodePageLink({ ...link, view: DEFAULT_VIEW, preset: null, results: 'abc_-1' })).toBe(
      'v=2&cycles=2&results=abc_-1',
    );
    expect(encodePageLink({ config: DEFAULT_CONFIG, view: DEFAULT_VIEW, preset: null })).toBe(
      'v=2',
    );
  });

  it('reads a long results parameter whole, and cuts only the rest of the link', () => {
    const data = 'x'.repeat(3 * MAX_LINK_LENGTH);
    const decoded = decodePageLink(`#v=2&model=lenet5&results=${data}&lock=1`);
    expect(decoded).toMatchObject({
      config: { model: 'lenet5' },
      view: { lock: true },
      results: data,
      ignored: [],
    });
  });
});
