/**
 * The experiment's settings as the controls edit them, how the page is shown, and the page
 * link that sets both. `loadConfig` is the one action that replaces the settings (the other
 * slices call it); under a locked link (`lock=1`) it and `setConfig` refuse, so no action can
 * change the lecturer's settings.
 */
import type { StateCreator } from 'zustand';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../schema/config';
import { FASHION_MNIST_BUILT_IN } from '../core/built-in';
import { decodePageLink, onBuiltInData } from './page-link';
import type { SavedRun } from './run-archive';
import type { AppState } from './store';
import { DEFAULT_VIEW, type ViewOptions } from './view';

export interface LoadConfigOptions {
  /** Parts of the opened link that could not be read: they replace the link notice. */
  ignored?: readonly string[];
  /**
   * Who loads the settings. A page link sets the lock itself, and the guided experiment a
   * locked link names may run its runs; anyone else is refused while the settings are locked.
   */
  by?: 'link' | 'preset';
}

export interface ConfigSlice {
  config: ExperimentConfig;
  /** True when `config` differs from what the engine was last configured with. */
  configDirty: boolean;
  /** Settings whose input does not parse; runs wait until they are fixed. */
  invalidFields: readonly string[];
  /** Parts of the opened link that could not be read (shown until dismissed). */
  linkNotice: readonly string[];
  setConfig(patch: Partial<ExperimentConfig>): void;
  /**
   * Replaces the settings (they are applied before the next run) and clears the invalid
   * inputs; returns false, changing nothing, when a locked link refuses it.
   */
  loadConfig(config: ExperimentConfig, options?: LoadConfigOptions): boolean;
  /** The engine has been configured with `config`: it is clean if it is still the settings. */
  configApplied(config: ExperimentConfig): void;
  /** The engine holds other settings than these (repeats left it on a later seed). */
  configLeft(): void;
  /**
   * The plain message for an action the locked settings refuse (`what`: why it cannot be
   * done), or null when the settings are not locked. Store actions ask it first.
   */
  lockRefusal(what: string): string | null;
  /**
   * Opens a page link as a fresh page would: its settings, view and guided experiment (and a
   * shared run, which the promise gives), unless a run is in progress. Rebuilds the model.
   */
  openLink(hash: string): Promise<SavedRun | null>;
  dismissLinkNotice(): void;
  /** Classroom mode, hidden controls, locked settings (from the link). */
  view: ViewOptions;
  setView(patch: Partial<ViewOptions>): void;
  setFieldValid(field: string, valid: boolean): void;
}

export const createConfigSlice =
  (
    initial: ExperimentConfig = DEFAULT_CONFIG,
    linkNotice: readonly string[] = [],
    view: ViewOptions = DEFAULT_VIEW,
  ): StateCreator<AppState, [], [], ConfigSlice> =>
  (set, get) => ({
    config: initial,
    configDirty: true,
    invalidFields: [],
    linkNotice,
    view,
    setView: (patch) => set((s) => ({ view: { ...s.view, ...patch } })),
    lockRefusal: (what) =>
      get().view.lock ? `The lecturer's link locks these settings, so ${what}.` : null,
    loadConfig: (config, options = {}) => {
      if (get().view.lock && !options.by) return false;
      set({
        config,
        configDirty: true,
        invalidFields: [],
        ...(options.ignored ? { linkNotice: options.ignored } : {}),
      });
      return true;
    },
    configApplied: (config) => {
      if (get().config === config) set({ configDirty: false });
    },
    configLeft: () => set({ configDirty: true }),
    openLink: async (hash) => {
      const link = onBuiltInData(decodePageLink(hash), FASHION_MNIST_BUILT_IN);
      const { status, busy } = get();
      if (busy !== null || (status && status.stage !== 'untrained')) {
        set({
          linkNotice: ['This link was not opened over a run in progress: Reset, then reload it.'],
        });
        return null;
      }
      // The whole link, as a fresh page reads it: the lock comes with it.
      set({ view: link.view });
      get().loadConfig(link.config, { ignored: link.ignored, by: 'link' });
      get().choosePreset(link.preset, { by: 'link' });
      void get().configure();
      return link.results ? get().openSharedRun(link.results) : null;
    },
    dismissLinkNotice: () => set({ linkNotice: [] }),
    setConfig: (patch) => {
      if (get().view.lock) return; // the controls are disabled; nothing else may edit either
      set((state) => {
        const config = { ...state.config, ...patch };
        // Overrides name layers of one model; another model has other layers.
        if (patch.model && patch.model !== state.config.model) config.layerOverrides = {};
        return { config, configDirty: true };
      });
    },
    setFieldValid: (field, valid) =>
      set((state) => {
        const others = state.invalidFields.filter((f) => f !== field);
        return { invalidFields: valid ? others : [...others, field] };
      }),
  });
