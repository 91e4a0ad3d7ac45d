/**
 * How the page is shown, as opposed to what it runs: classroom mode (big type, heavy chart
 * lines for a projector), controls hidden by the lecturer and locked settings (for a preset
 * students open from a link or QR code). The page link (page-link.ts) reads and writes them.
 */

export interface ViewOptions {
  classroom: boolean;
  /** Config keys whose controls are hidden; 'layerOverrides' hides the override panel. */
  hide: readonly string[];
  /** The lecturer's link fixes the settings: no action may change them. */
  lock: boolean;
}

export const DEFAULT_VIEW: ViewOptions = { classroom: false, hide: [], lock: false };
