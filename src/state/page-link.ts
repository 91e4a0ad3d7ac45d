/**
 * The page link: the one owner of the URL's hash. It says the experiment's settings, how the
 * page is shown, the guided experiment open and, for a share-results link, a finished run —
 * `#v=2&dataset=mnist&targetSparsity=0.95&layerOverrides=fc3:exclude,fc1:0.98&classroom=1&lock=1&preset=ft-vs-slr`
 * — as readable `key=value` pairs in this order:
 *
 * - `v=` the format's version, then the settings that differ from the defaults, in the
 *   schema's order. Keys are the config's own names (docs/config.md); numbers are written in
 *   JavaScript's shortest round-trip form, so a link restores every value exactly.
 * - the view: `classroom=1` (big type, heavy chart lines for a projector), `hide=lr,seed`
 *   (controls hidden by the lecturer, as TensorFlow Playground's *_hide flags), `lock=1`
 *   (settings fixed, for a preset students open from a link or QR code);
 * - `preset=<id>`, the guided experiment shown;
 * - `results=<data>`, a run as results-link.ts writes it (deflated JSON in base64url).
 *
 * Reading never throws and always yields a valid link: what cannot be read (an unknown key, a
 * bad value, a value that contradicts another, an unknown preset or hidden control, a link
 * from a newer version, an over-long link) falls back to its default and is named in
 * `ignored`. Links of older versions are brought up to date by MIGRATIONS, one step per
 * version, before they are read. The start of the page, a link pasted into an open page, the
 * address bar and every share button read and write the hash through this module only.
 */
import {
  DEFAULT_CONFIG,
  configFieldSchemas,
  configSchema,
  issueMessage,
  type ExperimentConfig,
} from '../schema/config';
import { presetById } from './presets';
import type { ViewOptions } from './view';

/**
 * The link format's version, written as `v=`. 2: the defaults became LeNet-5 on Fashion-MNIST
 * (a CNN as the classroom default; version 1's were LeNet-300-100 on MNIST).
 */
export const LINK_VERSION = 2;
/** Longer hashes are cut here before reading (a link is a few hundred characters). */
export const MAX_LINK_LENGTH = 4096;
/** A `results=` value is read up to this many characters (a default run is about 3 KB). */
export const MAX_RESULTS_LENGTH = 2 * 1024 * 1024;
/** At most this many ignored parts are named one by one. */
const MAX_NAMED = 8;

export interface PageLink {
  config: ExperimentConfig;
  view: ViewOptions;
  /** The guided experiment shown, or null. */
  preset: string | null;
  /** A shared run's `results=` data (see results-link.ts), or null. */
  results?: string | null;
}

export interface DecodedPageLink extends PageLink {
  results: string | null;
  /** What could not be read, one readable line each; empty for a clean link. */
  ignored: string[];
}

type Params = [string, string][];
/**
 * MIGRATIONS[n] turns a version-n link's pairs into version n + 1's. A link leaves out the
 * settings at their defaults, so a change of default is a migration: the old default written
 * out where the link does not say it.
 */
export const MIGRATIONS: Record<number, (params: Params) => Params> = {
  1: (params) => {
    const says = (key: string) => params.some(([k]) => k === key);
    const added: Params = [];
    if (!says('dataset')) added.push(['dataset', 'mnist']);
    if (!says('model')) added.push(['model', 'lenet300']);
    return [...added, ...params];
  },
};

type Key = keyof ExperimentConfig;
const KEYS = Object.keys(configFieldSchemas) as Key[];
const isKey = (key: string): key is Key => (KEYS as string[]).includes(key);
const RESULTS_PARAM = 'results';

function encodeValue(key: Key, value: ExperimentConfig[Key]): string {
  if (key === 'layerOverrides') {
    return Object.entries(value as ExperimentConfig['layerOverrides'])
      .map(([layer, v]) => `${layer}:${v}`)
      .join(',');
  }
  return String(value);
}

/** The settings' part: `v=` and every non-default setting. */
function encodeSettings(config: ExperimentConfig): string {
  const params = new URLSearchParams({ v: String(LINK_VERSION) });
  for (const key of KEYS) {
    const value = encodeValue(key, config[key]);
    if (value !== encodeValue(key, DEFAULT_CONFIG[key])) params.set(key, value);
  }
  // ':' and ',' are safe in a fragment; keeping them makes overrides readable.
  return params.toString().replace(/%3A/g, ':').replace(/%2C/g, ',');
}

/** The hash (without '#') of `link`: settings, view, preset, results; see the module comment. */
export function encodePageLink(link: PageLink): string {
  const parts = [encodeSettings(link.config)];
  if (link.view.classroom) parts.push('classroom=1');
  if (link.view.hide.length > 0) parts.push(`hide=${link.view.hide.join(',')}`);
  if (link.view.lock) parts.push('lock=1');
  if (link.preset) parts.push(`preset=${encodeURIComponent(link.preset)}`);
  if (link.results) parts.push(`${RESULTS_PARAM}=${link.results}`);
  return parts.join('&');
}

/** The address of `link` on the page at `href` (whose own hash, if any, it replaces). */
export function pageLinkUrl(href: string, link: PageLink): string {
  return `${href.split('#')[0]}#${encodePageLink(link)}`;
}

const shorten = (text: string) => (text.length > 40 ? `${text.slice(0, 40)}…` : text);

function parseNumber(text: string): number | string {
  return /^\s*$/.test(text) ? text : Number(text);
}

/** The typed value of `text` for `key`, for the field's schema to judge. */
function typedValue(key: Key, text: string): unknown {
  const sample = DEFAULT_CONFIG[key];
  if (typeof sample === 'number') return parseNumber(text);
  if (typeof sample === 'boolean') {
    return text === 'true' || text === '1' ? true : text === 'false' || text === '0' ? false : text;
  }
  if (key === 'layerOverrides') {
    const overrides: Record<string, unknown> = {};
    for (const part of text.split(',').filter(Boolean)) {
      const at = part.lastIndexOf(':');
      if (at <= 0) return text; // not name:value
      const name = part.slice(0, at);
      const v = part.slice(at + 1);
      // Layer names are identifiers; '__proto__' and friends never name a layer.
      if (!/^[A-Za-z]\w*$/.test(name) || Object.hasOwn(overrides, name)) return text;
      Object.defineProperty(overrides, name, {
        value: v === 'exclude' ? v : parseNumber(v),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return overrides;
  }
  return text;
}

function firstIssue(error: { issues: Parameters<typeof issueMessage>[0][] }): string {
  const issue = error.issues[0];
  return issue ? issueMessage(issue) : 'invalid';
}

/** The settings in `params` over the defaults; what cannot be read is pushed to `ignored`. */
function decodeSettings(params: Params, ignored: string[]): ExperimentConfig {
  const accepted: Partial<Record<Key, unknown>> = {};
  for (const [key, value] of params) {
    if (!isKey(key)) {
      ignored.push(`${shorten(key)} (not a setting)`);
      continue;
    }
    const typed = typedValue(key, value);
    const result = configFieldSchemas[key].safeParse(typed);
    if (!result.success) {
      const why =
        key === 'layerOverrides' && typeof typed === 'string'
          ? 'expected layer:value pairs, e.g. fc1:0.8,fc3:exclude'
          : firstIssue(result.error);
      ignored.push(`${key}=${shorten(value)} (${why})`);
      delete accepted[key];
      continue;
    }
    accepted[key] = result.data;
  }

  // Settings that contradict others (e.g. an override of a layer the model lacks) are
  // dropped one by one until the whole config is valid.
  let candidate = { ...DEFAULT_CONFIG, ...accepted } as ExperimentConfig;
  for (let round = 0; round < KEYS.length + 1; round++) {
    const result = configSchema.safeParse(candidate);
    if (result.success) {
      candidate = result.data;
      break;
    }
    const issue = result.error.issues[0]!;
    const [field, layer] = issue.path as [Key, string | undefined];
    if (field === 'layerOverrides' && typeof layer === 'string') {
      const rest = { ...candidate.layerOverrides };
      delete rest[layer];
      candidate = { ...candidate, layerOverrides: rest };
      ignored.push(`layerOverrides ${shorten(layer)} (${issueMessage(issue)})`);
    } else if (isKey(field)) {
      ignored.push(
        `${field}=${shorten(encodeValue(field, candidate[field]))} (${issueMessage(issue)})`,
      );
      candidate = { ...candidate, [field]: DEFAULT_CONFIG[field] };
    } else {
      candidate = DEFAULT_CONFIG;
    }
  }
  return candidate;
}

const flag = (value: string | undefined) => value === '1' || value === 'true';

/** Splits the `results=` pair off the text: it alone may be longer than MAX_LINK_LENGTH. */
function takeResults(text: string): { rest: string; results: string | null } {
  let results: string | null = null;
  const rest = text
    .split('&')
    .filter((part) => {
      if (!part.startsWith(`${RESULTS_PARAM}=`)) return true;
      results ??= new URLSearchParams(part.slice(0, MAX_RESULTS_LENGTH)).get(RESULTS_PARAM);
      return false;
    })
    .join('&');
  return { rest, results };
}

/**
 * The link as this build can open it: a build without Fashion-MNIST built in (Debian's
 * dataset-fashion-mnist was missing when it was built; src/core/built-in.ts) starts on MNIST
 * where the link says Fashion-MNIST, the default, and says why in `ignored`.
 */
export function onBuiltInData(
  link: DecodedPageLink,
  fashionMnistBuiltIn: boolean,
): DecodedPageLink {
  if (fashionMnistBuiltIn || link.config.dataset !== 'fashion-mnist') return link;
  return {
    ...link,
    config: configSchema.parse({ ...link.config, dataset: 'mnist' }),
    ignored: [
      ...link.ignored,
      'dataset=fashion-mnist (not built into this copy of the lab: MNIST instead; its four IDX ' +
        'files can be opened under Data set)',
    ],
  };
}

/** Reads a hash (with or without '#'); see the module comment. */
export function decodePageLink(hash: string): DecodedPageLink {
  const ignored: string[] = [];
  const whole = hash.startsWith('#') ? hash.slice(1) : hash;
  const taken = takeResults(whole);
  let text = taken.rest;
  if (text.length > MAX_LINK_LENGTH) {
    ignored.push(`the link beyond its first ${MAX_LINK_LENGTH} characters`);
    text = text.slice(0, MAX_LINK_LENGTH);
  }
  let params: Params = [...new URLSearchParams(text)];
  const version = params.find(([k]) => k === 'v')?.[1];
  params = params.filter(([k]) => k !== 'v');
  const v = version === undefined ? LINK_VERSION : Number(version);
  if (!Number.isInteger(v) || v < 1) {
    ignored.push(`v=${shorten(version ?? '')} (not a link version; read as v=${LINK_VERSION})`);
  } else if (v > LINK_VERSION) {
    ignored.push(`v=${v}: made by a newer version of the lab; only the settings it knows are read`);
  } else {
    for (let n = v; n < LINK_VERSION; n++) params = MIGRATIONS[n]?.(params) ?? params;
  }

  const shown = new Map<string, string>();
  const settings: Params = [];
  for (const [key, value] of params) {
    if (key === 'classroom' || key === 'hide' || key === 'lock' || key === 'preset') {
      if (!shown.has(key)) shown.set(key, value);
    } else {
      settings.push([key, value]);
    }
  }
  const config = decodeSettings(settings, ignored);

  const hide: string[] = [];
  for (const name of (shown.get('hide') ?? '').split(',').filter(Boolean)) {
    if (Object.hasOwn(configFieldSchemas, name)) hide.push(name);
    else ignored.push(`hide ${shorten(name)} (not a setting)`);
  }
  let preset = shown.get('preset') ?? null;
  if (preset !== null && !presetById(preset)) {
    ignored.push(`preset=${shorten(preset)} (no such guided experiment)`);
    preset = null;
  }
  const view: ViewOptions = {
    classroom: flag(shown.get('classroom')),
    hide,
    lock: flag(shown.get('lock')),
  };

  const named = ignored.slice(0, MAX_NAMED);
  if (ignored.length > MAX_NAMED) named.push(`and ${ignored.length - MAX_NAMED} more`);
  return { config, view, preset, results: taken.results, ignored: named };
}
