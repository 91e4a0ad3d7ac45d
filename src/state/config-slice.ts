/** The experiment's settings as the controls edit them. */
import type { StateCreator } from 'zustand';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../schema/config';
import type { AppState } from './store';

export interface ConfigSlice {
  config: ExperimentConfig;
  /** True when `config` differs from what the engine was last configured with. */
  configDirty: boolean;
  setConfig(patch: Partial<ExperimentConfig>): void;
}

export const createConfigSlice =
  (initial: ExperimentConfig = DEFAULT_CONFIG): StateCreator<AppState, [], [], ConfigSlice> =>
  (set) => ({
    config: initial,
    configDirty: true,
    setConfig: (patch) =>
      set((state) => ({ config: { ...state.config, ...patch }, configDirty: true })),
  });
