/**
 * The data of a "Share results" link's `results=` parameter (the page link, page-link.ts,
 * places it in the hash): the results JSON, deflated (the platform's CompressionStream,
 * 'deflate-raw') and written in base64url. A default run is about 3 KB of link.
 *
 * Reading a shared run or an imported file is bounded, so that no document can hold up the
 * page: at most MAX_RESULTS_BYTES once inflated (MAX_FILE_BYTES for a file); then, before the
 * schema walks it, its settings are read and every list is held to what those settings can
 * produce (cycles, epochs and learning rates per phase, GMP steps) and every per-layer list to
 * the layers of the model it names (MODEL_REGISTRY); after the schema, the layers' names,
 * shapes and sizes must be that model's. A document that fails is refused with a plain message.
 */
import { DATASET_REGISTRY, configImageShape, type DatasetModule } from '../core/datasets';
import { MODEL_REGISTRY, type LayerShape } from '../core/models';
import { issueMessage, recordedConfigSchema, type ExperimentConfig } from '../schema/config';
import { resultsSchema, type Results } from '../schema/results';
import { iterationsPerEpoch } from '../core/schedules/dense';

/** Inflated size limit, against links that inflate to gigabytes. */
export const MAX_RESULTS_BYTES = 8 * 1024 * 1024;
/** A results file (pretty-printed, so larger than a link's JSON) is read up to this size. */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function pump(
  input: Uint8Array,
  stream: CompressionStream | DecompressionStream,
  limit = Infinity,
): Promise<Uint8Array> {
  const writer = stream.writable.getWriter();
  void writer
    .write(input as Uint8Array<ArrayBuffer>)
    .then(() => writer.close())
    .catch(() => {});
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      throw new Error(`the results inflate to more than ${limit / 1024 / 1024} MB`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** The `results` parameter's value for `results`. */
export async function encodeResults(results: Results): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(results));
  return toBase64Url(await pump(json, new CompressionStream('deflate-raw')));
}

/** Reads a `results` parameter; a readable reason instead of a throw when it cannot. */
export async function decodeResults(
  text: string,
): Promise<{ results: Results } | { error: string }> {
  let json: string;
  try {
    const bytes = fromBase64Url(text.trim());
    const inflated = await pump(bytes, new DecompressionStream('deflate-raw'), MAX_RESULTS_BYTES);
    json = new TextDecoder('utf-8', { fatal: true }).decode(inflated);
  } catch (error) {
    const why =
      error instanceof Error && /inflate to more/.test(error.message)
        ? error.message
        : 'the data is damaged or cut short';
    return { error: `The shared run could not be read: ${why}.` };
  }
  return parseResultsJson(json, 'The shared run');
}

/** Parses and validates a results document (a shared link's, or an imported file's). */
export function parseResultsJson(
  json: string,
  what: string,
): { results: Results } | { error: string } {
  if (json.length > MAX_FILE_BYTES) {
    return {
      error: `${what} could not be read: it is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB.`,
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { error: `${what} could not be read: it is not JSON.` };
  }
  const notResults = (where: string, message: string) => ({
    error: `${what} is not a Pruning Lab results file (${where}: ${message}).`,
  });
  const config = isRecord(value) ? recordedConfigSchema.safeParse(value.config) : null;
  if (config && !config.success) {
    const issue = config.error.issues[0]!;
    return notResults(['config', ...issue.path].join('.'), issueMessage(issue));
  }
  // Only the lists' lengths are read before the schema walks the document.
  const bounds = config && outOfBounds(value as Json, config.data);
  if (bounds) return { error: `${what} ${bounds}.` };

  const parsed = resultsSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return notResults(issue.path.join('.') || 'the document', issueMessage(issue));
  }
  const mismatch = layerMismatch(parsed.data);
  if (mismatch) return { error: `${what} ${mismatch}.` };
  return { results: parsed.data };
}

type Json = Record<string, unknown>;
/** The most levels (and points per curve) a shared sensitivity analysis may hold. */
const MAX_SENSITIVITY_LEVELS = 100;
const isRecord = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const count = (n: number) => n.toLocaleString('en');
const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * The prunable layers of the run's model on its data set, as the registry gives them; `classes`:
 * the class count, where the set's own files give it (classesFromData).
 */
function modelLayersOf(config: ExperimentConfig, classes?: number): LayerShape[] {
  const data = DATASET_REGISTRY[config.dataset];
  return MODEL_REGISTRY[config.model].layers(configImageShape(config), classes ?? data.classes);
}

/** A set whose class count is its files' own: the count the results' last layer gives (2..256). */
function classesOf(results: Results): number | undefined {
  const data: DatasetModule = DATASET_REGISTRY[results.config.dataset];
  if (!data.classesFromData) return undefined;
  const classes = results.model.layers.at(-1)?.shape.at(-1);
  return classes !== undefined && classes >= 2 && classes <= 256 ? classes : undefined;
}

/**
 * The first list of `doc` longer than its settings allow, or of another length than the model's
 * layers, as the rest of a sentence; null when every list fits. Reads only the lists' lengths.
 */
function outOfBounds(doc: Json, config: ExperimentConfig): string | null {
  const layers = modelLayersOf(config);
  // A set of the user's own may be larger than its nominal count: bounded by its largest.
  const data: DatasetModule = DATASET_REGISTRY[config.dataset];
  const trainMax = data.maxTrainCount ?? data.trainCount;
  const perEpoch = config.batchSize > trainMax ? 0 : iterationsPerEpoch(trainMax, config.batchSize);
  const imp = config.regime === 'imp';
  type Rule = { list: unknown; at: string; max?: number; exact?: number; what: string };
  const rules: Rule[] = [];
  const layersRule = (list: unknown, at: string) =>
    rules.push({ list, at, exact: layers.length, what: 'layers' });
  const model = isRecord(doc.model) ? doc.model : {};
  layersRule(model.layers, 'its model');
  const dense = isRecord(doc.dense) ? doc.dense : {};
  rules.push(
    { list: dense.epochs, at: 'its training', max: config.denseEpochs, what: 'epochs' },
    {
      list: dense.lrSchedule,
      at: 'its training',
      max: perEpoch * config.denseEpochs,
      what: 'learning rates',
    },
    { list: doc.cycles, at: 'the run', max: imp ? config.cycles : 0, what: 'cycles' },
  );
  const cycles = Array.isArray(doc.cycles) && doc.cycles.length <= config.cycles ? doc.cycles : [];
  cycles.forEach((cycle: unknown, j) => {
    const c = isRecord(cycle) ? cycle : {};
    const at = `cycle ${j + 1}`;
    layersRule(c.layers, at);
    layersRule(isRecord(c.report) ? c.report.layers : undefined, `cycle ${j + 1}'s report`);
    rules.push(
      { list: c.epochs, at, max: config.retrainEpochs, what: 'epochs' },
      { list: c.lrSchedule, at, max: perEpoch * config.retrainEpochs, what: 'learning rates' },
    );
  });
  const gmp = isRecord(doc.gmp) ? doc.gmp : {};
  const maxSteps = imp ? 0 : Math.floor((perEpoch * config.denseEpochs) / config.gmpEvery) + 1;
  rules.push({ list: gmp.pruneSteps, at: 'its pruning', max: maxSteps, what: 'GMP steps' });
  if (Array.isArray(gmp.pruneSteps) && gmp.pruneSteps.length <= maxSteps) {
    gmp.pruneSteps.forEach((step: unknown, k) =>
      layersRule(isRecord(step) ? step.layers : undefined, `GMP step ${k + 1}`),
    );
  }
  // Layer sensitivity: one analysis per state at most, a curve per layer and one of global
  // pruning, each with a point per level (the lab measures 9; a file may hold up to 100).
  const states = imp ? config.cycles + 1 : 1;
  rules.push({ list: doc.sensitivity, at: 'the run', max: states, what: 'sensitivity analyses' });
  const analyses =
    Array.isArray(doc.sensitivity) && doc.sensitivity.length <= states ? doc.sensitivity : [];
  analyses.forEach((analysis: unknown, k) => {
    const a = isRecord(analysis) ? analysis : {};
    const at = `sensitivity analysis ${k + 1}`;
    rules.push({ list: a.levels, at, max: MAX_SENSITIVITY_LEVELS, what: 'levels' });
    const curves = Array.isArray(a.curves) ? a.curves : undefined;
    rules.push({ list: curves, at, exact: layers.length + 1, what: 'curves' });
    if (curves && curves.length === layers.length + 1) {
      curves.forEach((curve: unknown) => {
        const points = isRecord(curve) ? curve.points : undefined;
        rules.push({ list: points, at, max: MAX_SENSITIVITY_LEVELS, what: 'points per curve' });
      });
    }
  });

  for (const rule of rules) {
    if (!Array.isArray(rule.list)) continue; // the schema says what is wrong with it
    const n = rule.list.length;
    if (rule.exact !== undefined && n !== rule.exact && rule.what === 'curves') {
      return (
        `does not match the model it names: ${rule.at} has ${count(n)} curves; ` +
        `${MODEL_REGISTRY[config.model].label} has ${layers.length} layers, and one more curve ` +
        `is global pruning's`
      );
    }
    if (rule.exact !== undefined && n !== rule.exact) {
      const names = layers.map((l) => l.name).join(', ');
      return (
        `does not match the model it names: ${rule.at} lists ${count(n)} layers; ` +
        `${MODEL_REGISTRY[config.model].label} has ${layers.length} (${names})`
      );
    }
    if (rule.max !== undefined && n > rule.max) {
      return (
        `does not fit the settings it names: ${rule.at} has ${count(n)} ${rule.what}, more than ` +
        `those settings give (${count(rule.max)})`
      );
    }
  }
  return null;
}

/** Where `results`' layers differ from the model's (name, shape, size), in words, or null. */
function layerMismatch(results: Results): string | null {
  const { config, model } = results;
  const layers = modelLayersOf(config, classesOf(results));
  const label = MODEL_REGISTRY[config.model].label;
  if (model.name !== config.model) {
    return `does not match the model it names: its settings say ${config.model}, its model is called “${model.name.slice(0, 40)}”`;
  }
  const lists: [string, readonly { name: string; size: number; shape?: number[] }[]][] = [
    ['its model', model.layers],
    ...results.cycles.flatMap((c): [string, { name: string; size: number }[]][] => [
      [`cycle ${c.cycle}`, c.layers],
      [`cycle ${c.cycle}'s report`, c.report.layers],
    ]),
  ];
  for (const [at, list] of lists) {
    for (let l = 0; l < layers.length; l++) {
      const want = layers[l]!;
      const got = list[l]!;
      const shape = got.shape ?? want.shape;
      if (
        got.name !== want.name ||
        got.size !== sizeOf(want.shape) ||
        shape.join('x') !== want.shape.join('x')
      ) {
        return (
          `does not match the model it names: layer ${l + 1} of ${at} is “${got.name.slice(0, 40)}” ` +
          `with ${count(got.size)} weights; ${label}'s is ${want.name} with ${count(sizeOf(want.shape))}`
        );
      }
    }
  }
  const prunable = layers.reduce((a, l) => a + sizeOf(l.shape), 0);
  if (model.prunableParams !== prunable) {
    return `does not match the model it names: it counts ${count(model.prunableParams)} prunable weights; ${label} has ${count(prunable)}`;
  }
  return null;
}
