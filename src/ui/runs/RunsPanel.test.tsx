// @vitest-environment jsdom
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryArchive } from '../../state/run-archive';
import { createAppStore } from '../../state/store';
import { tinyConfig } from '../../test/fixtures';
import { testClient } from '../../test/in-process';
import { storedRunV0 } from '../../test/stored-run-v0';
import { StoreProvider } from '../store-context';
import { RunsPanel } from './RunsPanel';

afterEach(cleanup);

describe('RunsPanel', () => {
  it('shows a damaged saved run with its reason and a Remove button, beside the readable ones', async () => {
    const { key, record } = storedRunV0();
    const archive = memoryArchive([
      [key, record],
      ['run:broken', { id: 'run:broken', savedAt: 'never', results: 42 }],
    ]);
    const store = createAppStore(testClient(), tinyConfig(), [], archive);
    render(
      <StoreProvider store={store}>
        <RunsPanel />
      </StoreProvider>,
    );
    const table = await screen.findByRole('table', { name: 'Saved runs' });
    const damaged = await within(table).findByRole('row', { name: /Damaged saved run/ });
    expect(damaged).toHaveTextContent('run:broken');
    expect(damaged).toHaveTextContent(/damaged: It does not fit the saved-run format \(/);
    // The format-0 record is read, migrated, and offers Resume (the list of readable runs
    // renders deferred, so it may come a render after the damaged row).
    expect(await within(table).findByRole('button', { name: /^Resume / })).toBeEnabled();

    await userEvent.click(within(damaged).getByRole('button', { name: 'Remove damaged run run:broken' }));
    await waitFor(() =>
      expect(within(table).queryByRole('row', { name: /Damaged saved run/ })).toBeNull(),
    );
    expect((await archive.list()).damaged).toEqual([]);
    expect(within(table).getAllByRole('row')).toHaveLength(2); // header + the readable run
  });
});
