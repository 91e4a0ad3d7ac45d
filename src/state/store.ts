/**
 * One zustand store from typed slices. `createAppStore(client)` wires it to an engine client
 * (the worker in the app, an in-process host in tests); only this bridge talks to the engine.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ExperimentConfig } from '../schema/config';
import type { EngineClient } from '../worker/engine-client';
import { createConfigSlice, type ConfigSlice } from './config-slice';
import { createEstimateSlice, watchEstimate, type EstimateSlice } from './estimate-slice';
import { createInspectSlice, watchInspection, type InspectSlice } from './inspect-slice';
import { createInferenceSlice, type InferenceSlice } from './inference-slice';
import { memoryArchive, type RunArchive } from './run-archive';
import type { ViewOptions } from './view';
import { createRunSlice, type RunSlice } from './run-slice';
import { createRunsSlice, type RunsSlice } from './runs-slice';
import { createUserDataSlice, type UserDataSlice } from './user-data-slice';

export type AppState = ConfigSlice &
  RunSlice &
  RunsSlice &
  EstimateSlice &
  InspectSlice &
  InferenceSlice &
  UserDataSlice;
export type AppStore = StoreApi<AppState>;

export function createAppStore(
  client: EngineClient,
  initialConfig?: ExperimentConfig,
  linkNotice?: readonly string[],
  archive: RunArchive = memoryArchive(),
  view?: ViewOptions,
): AppStore {
  const store = createStore<AppState>()((...a) => ({
    ...createConfigSlice(initialConfig, linkNotice, view)(...a),
    ...createRunSlice(client)(...a),
    ...createRunsSlice(archive)(...a),
    ...createEstimateSlice(client)(...a),
    ...createInspectSlice(client)(...a),
    ...createInferenceSlice(client)(...a),
    ...createUserDataSlice(client)(...a),
  }));
  client.subscribe((event) => store.getState().applyEvent(event));
  // Every update of the live run's results is saved to the run list.
  store.subscribe((state, previous) => {
    if (state.results !== previous.results && state.results) state.recordRun(state.results);
  });
  watchEstimate(store);
  watchInspection(store);
  void store.getState().loadRuns();
  void store.getState().loadUserData();
  return store;
}
