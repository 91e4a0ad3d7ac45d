/** The experiment's settings as the controls edit them. */
import type { StateCreator } from 'zustand';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../schema/config';
import type { AppState } from './store';
import { decodeConfig } from './url-codec';
import { DEFAULT_VIEW, type ViewOptions } from './view';

export interface ConfigSlice {
  config: ExperimentConfig;
  /** True when `config` differs from what the engine was last configured with. */
  configDirty: boolean;
  /** Settings whose input does not parse; runs wait until they are fixed. */
  invalidFields: readonly string[];
  /** Parts of the opened link that could not be read (shown until dismissed). */
  linkNotice: readonly string[];
  setConfig(patch: Partial<ExperimentConfig>): void;
  /** Opens a share link's settings (while the settings are editable) and rebuilds the model. */
  openLink(hash: string): void;
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
    openLink: (hash) => {
      const { config, ignored } = decodeConfig(hash);
      const { status, busy } = get();
      if (busy !== null || (status && status.stage !== 'untrained')) {
        set({
          linkNotice: ['This link was not opened over a run in progress: Reset, then reload it.'],
        });
        return;
      }
      set({ config, configDirty: true, invalidFields: [], linkNotice: ignored });
      void get().configure();
    },
    dismissLinkNotice: () => set({ linkNotice: [] }),
    setConfig: (patch) =>
      set((state) => {
        const config = { ...state.config, ...patch };
        // Overrides name layers of one model; another model has other layers.
        if (patch.model && patch.model !== state.config.model) config.layerOverrides = {};
        return { config, configDirty: true };
      }),
    setFieldValid: (field, valid) =>
      set((state) => {
        const others = state.invalidFields.filter((f) => f !== field);
        return { invalidFields: valid ? others : [...others, field] };
      }),
  });
