/** The experiment's settings as the controls edit them. */
import type { StateCreator } from 'zustand';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../schema/config';
import type { AppState } from './store';

export interface ConfigSlice {
  config: ExperimentConfig;
  /** True when `config` differs from what the engine was last configured with. */
  configDirty: boolean;
  /** Settings whose input does not parse; runs wait until they are fixed. */
  invalidFields: readonly string[];
  setConfig(patch: Partial<ExperimentConfig>): void;
  setFieldValid(field: string, valid: boolean): void;
}

export const createConfigSlice =
  (initial: ExperimentConfig = DEFAULT_CONFIG): StateCreator<AppState, [], [], ConfigSlice> =>
  (set) => ({
    config: initial,
    configDirty: true,
    invalidFields: [],
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
