/**
 * How the page is shown, as opposed to what it runs: classroom mode (big type, heavy chart
 * lines for a projector), controls hidden by the lecturer (`hide=lr,seed`, as TensorFlow
 * Playground's *_hide flags), locked settings (`lock=1`, for a preset students open from a
 * link or QR code) and the guided experiment open (`preset=<id>`). They live in the same hash
 * as the settings and are read leniently: an unknown name is ignored and said.
 */
import { configFieldSchemas } from '../schema/config';
import { presetById } from './presets';
import { encodeConfig, MAX_LINK_LENGTH } from './url-codec';
import type { ExperimentConfig } from '../schema/config';

export interface ViewOptions {
  classroom: boolean;
  /** Config keys whose controls are hidden; 'layerOverrides' hides the override panel. */
  hide: readonly string[];
  lock: boolean;
}

export const DEFAULT_VIEW: ViewOptions = { classroom: false, hide: [], lock: false };
export const VIEW_PARAMS = ['classroom', 'hide', 'lock', 'preset'] as const;

const flag = (value: string | null) => value === '1' || value === 'true';

export function decodeView(hash: string): {
  view: ViewOptions;
  preset: string | null;
  ignored: string[];
} {
  const params = new URLSearchParams(hash.replace(/^#/, '').slice(0, MAX_LINK_LENGTH));
  const ignored: string[] = [];
  const hide: string[] = [];
  for (const name of (params.get('hide') ?? '').split(',').filter(Boolean)) {
    if (Object.hasOwn(configFieldSchemas, name)) hide.push(name);
    else ignored.push(`hide ${name.slice(0, 40)} (not a setting)`);
  }
  let preset = params.get('preset');
  if (preset !== null && !presetById(preset)) {
    ignored.push(`preset=${preset.slice(0, 40)} (no such guided experiment)`);
    preset = null;
  }
  return {
    view: { classroom: flag(params.get('classroom')), hide, lock: flag(params.get('lock')) },
    preset,
    ignored,
  };
}

/** The view's part of the hash ('' for the default view), to follow the settings. */
export function encodeView(view: ViewOptions, preset: string | null): string {
  const parts: string[] = [];
  if (view.classroom) parts.push('classroom=1');
  if (view.hide.length > 0) parts.push(`hide=${view.hide.join(',')}`);
  if (view.lock) parts.push('lock=1');
  if (preset) parts.push(`preset=${encodeURIComponent(preset)}`);
  return parts.map((p) => `&${p}`).join('');
}

/** The whole hash (without '#') of a page: its settings, then how it is shown. */
export function pageHash(
  config: ExperimentConfig,
  view: ViewOptions,
  preset: string | null,
): string {
  return encodeConfig(config) + encodeView(view, preset);
}
