/**
 * Share links: the whole experiment in the URL's hash, as readable `key=value` pairs —
 * `#v=1&model=lenet5&targetSparsity=0.98&layerOverrides=fc3:exclude,fc1:0.8` — with only the
 * settings that differ from the defaults, in the schema's order. Keys are the config's own
 * names (docs/config.md); numbers are written in JavaScript's shortest round-trip form, so a
 * link restores every value exactly.
 *
 * Reading never throws and always yields a valid config: what cannot be read (an unknown key,
 * a bad value, a value that contradicts another, a link from a newer version, an over-long
 * link) falls back to its default and is named in `ignored`. Links of older versions are
 * brought up to date by MIGRATIONS, one step per version, before they are read.
 */
import {
  DEFAULT_CONFIG,
  configFieldSchemas,
  configSchema,
  type ExperimentConfig,
} from '../schema/config';

/** The link format's version, written as `v=`. */
export const LINK_VERSION = 1;
/** Longer hashes are cut here before reading (a link is a few hundred characters). */
export const MAX_LINK_LENGTH = 4096;
/** At most this many ignored parts are named one by one. */
const MAX_NAMED = 8;

type Params = [string, string][];
/** Migrations[n] turns a version-n link's pairs into version n + 1's. */
export const MIGRATIONS: Record<number, (params: Params) => Params> = {};

export interface DecodedLink {
  config: ExperimentConfig;
  /** What could not be read, one readable line each; empty for a clean link. */
  ignored: string[];
}

type Key = keyof ExperimentConfig;
const KEYS = Object.keys(configFieldSchemas) as Key[];
const isKey = (key: string): key is Key => (KEYS as string[]).includes(key);
/** Parameters that share the hash but are not settings (read elsewhere). */
const OTHER_PARAMS = new Set(['results', 'classroom', 'hide', 'lock', 'preset']);

function encodeValue(key: Key, value: ExperimentConfig[Key]): string {
  if (key === 'layerOverrides') {
    return Object.entries(value as ExperimentConfig['layerOverrides'])
      .map(([layer, v]) => `${layer}:${v}`)
      .join(',');
  }
  return String(value);
}

/** The hash (without '#') for `config`: `v=1` and every non-default setting. */
export function encodeConfig(config: ExperimentConfig): string {
  const params = new URLSearchParams({ v: String(LINK_VERSION) });
  for (const key of KEYS) {
    const value = encodeValue(key, config[key]);
    if (value !== encodeValue(key, DEFAULT_CONFIG[key])) params.set(key, value);
  }
  // ':' and ',' are safe in a fragment; keeping them makes overrides readable.
  return params.toString().replace(/%3A/g, ':').replace(/%2C/g, ',');
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

function firstIssue(error: { issues: { message: string }[] }): string {
  return error.issues[0]?.message ?? 'invalid';
}

/** Reads a hash (with or without '#'); see the module comment. */
export function decodeConfig(hash: string): DecodedLink {
  const ignored: string[] = [];
  let text = hash.startsWith('#') ? hash.slice(1) : hash;
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

  const accepted: Partial<Record<Key, unknown>> = {};
  for (const [key, value] of params) {
    if (OTHER_PARAMS.has(key)) continue;
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
      ignored.push(`layerOverrides ${shorten(layer)} (${issue.message})`);
    } else if (isKey(field)) {
      ignored.push(`${field}=${shorten(encodeValue(field, candidate[field]))} (${issue.message})`);
      candidate = { ...candidate, [field]: DEFAULT_CONFIG[field] };
    } else {
      candidate = DEFAULT_CONFIG;
    }
  }
  const named = ignored.slice(0, MAX_NAMED);
  if (ignored.length > MAX_NAMED) named.push(`and ${ignored.length - MAX_NAMED} more`);
  return { config: candidate, ignored: named };
}
