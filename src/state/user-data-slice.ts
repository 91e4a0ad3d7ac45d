/**
 * The data sets opened from the user's own files (CIFAR-10 / CIFAR-100 archives): the list the
 * engine keeps in this browser, the file being read (with the fraction read) and what went
 * wrong with the last one. Opening a file picks its data set; a wrong file changes nothing.
 */
import type { StateCreator } from 'zustand';
import type { EngineClient } from '../worker/engine-client';
import type { UserDataSummary } from '../worker/protocol';
import { availability } from './selectors';
import type { AppState } from './store';
import type { DatasetName } from '../schema/config';

export interface UserDataSlice {
  userData: readonly UserDataSummary[];
  /** The file being read now, and the fraction read. */
  userDataReading: { fileName: string; fraction: number } | null;
  userDataError: string | null;
  loadUserData(): Promise<void>;
  /**
   * Parses `files` in the engine and keeps the set; on success its data set is picked.
   * `paths`: each file's path inside a dropped folder, where they came from one.
   */
  openDataFiles(files: readonly File[], paths?: readonly string[]): Promise<void>;
  removeUserData(id: DatasetName): Promise<void>;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export const createUserDataSlice =
  (client: EngineClient): StateCreator<AppState, [], [], UserDataSlice> =>
  (set, get) => ({
    userData: [],
    userDataReading: null,
    userDataError: null,

    loadUserData: async () => {
      try {
        set({ userData: await client.userData() });
      } catch (error) {
        set({ userDataError: `Your data sets could not be listed: ${message(error)}` });
      }
    },

    openDataFiles: async (files, paths) => {
      if (get().userDataReading || files.length === 0) return;
      const folder = paths?.[0]?.split('/')[0];
      const fileName = files.length === 1 ? files[0]!.name : (folder ?? `${files.length} files`);
      const reading = { fileName, fraction: 0 };
      set({ userDataReading: reading, userDataError: null });
      let current = reading;
      try {
        const summary = await client.openDataFiles(
          files,
          (fraction) => {
            // Only while this reading lasts: a progress message can arrive after the worker's
            // answer (a refusal), and must not bring the reading back (the picker stayed disabled).
            if (get().userDataReading !== current) return;
            current = { fileName, fraction };
            set({ userDataReading: current });
          },
          paths,
        );
        set({ userData: await client.userData() });
        // Picked at once, unless the settings are fixed (a run exists, or the link locks them).
        if (availability(get()).editConfig && get().config.dataset !== summary.id) {
          get().setConfig({ dataset: summary.id });
        }
      } catch (error) {
        set({ userDataError: message(error) });
      } finally {
        set({ userDataReading: null });
      }
    },

    removeUserData: async (id) => {
      try {
        await client.removeUserData(id);
        set({ userData: await client.userData(), userDataError: null });
      } catch (error) {
        set({ userDataError: message(error) });
      }
    },
  });
