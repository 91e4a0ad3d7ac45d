/**
 * One zustand store from typed slices. `createAppStore(client)` wires it to an engine client
 * (the worker in the app, an in-process host in tests); only this bridge talks to the engine.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ExperimentConfig } from '../schema/config';
import type { EngineClient } from '../worker/engine-client';
import { createConfigSlice, type ConfigSlice } from './config-slice';
import { createRunSlice, type RunSlice } from './run-slice';

export type AppState = ConfigSlice & RunSlice;
export type AppStore = StoreApi<AppState>;

export function createAppStore(
  client: EngineClient,
  initialConfig?: ExperimentConfig,
  linkNotice?: readonly string[],
): AppStore {
  const store = createStore<AppState>()((...a) => ({
    ...createConfigSlice(initialConfig, linkNotice)(...a),
    ...createRunSlice(client)(...a),
  }));
  client.subscribe((event) => store.getState().applyEvent(event));
  return store;
}
