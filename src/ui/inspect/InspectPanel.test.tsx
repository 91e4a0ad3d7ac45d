// @vitest-environment jsdom
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppStore } from '../../state/store';
import { tinyConfig } from '../../test/fixtures';
import { testClient } from '../../test/in-process';
import { StoreProvider } from '../store-context';
import { InspectPanel } from './InspectPanel';

afterEach(cleanup);

describe('Inside the network', () => {
  it('opens a view on request, shows the state chosen, and runs sensitivity to its table', async () => {
    const client = testClient();
    const store = createAppStore(client, tinyConfig({ cycles: 1, targetSparsity: 0.5 }));
    render(
      <StoreProvider store={store}>
        <InspectPanel />
      </StoreProvider>,
    );
    const user = userEvent.setup();
    expect(screen.getByText('Train the dense network to look inside it.')).toBeInTheDocument();
    await store.getState().run('runAll');

    const region = screen.getByRole('region', { name: 'Weight magnitudes' });
    const toggle = within(region).getByRole('button', { name: 'Weight magnitudes' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getByTestId('inspect-state')).toHaveTextContent('after cycle 1');
    await user.click(await within(region).findByRole('button', { name: 'Table' }));
    const table = await within(region).findByRole('table');
    const alive = within(table).getByText('alive').closest('tr')!;
    const cells = within(alive)
      .getAllByRole('cell')
      .slice(2)
      .map((c) => c.textContent);
    const results = store.getState().results!;
    expect(cells).toEqual(results.cycles[0]!.layers.map((l) => String(l.alive)));

    // The slider goes back to the dense network.
    const slider = screen.getByRole('slider', { name: 'Network state' });
    expect(slider).toHaveAttribute('aria-valuetext', 'after cycle 1');

    const sensitivity = screen.getByRole('region', { name: 'Layer sensitivity' });
    await user.click(within(sensitivity).getByRole('button', { name: 'Layer sensitivity' }));
    await user.click(within(sensitivity).getByRole('button', { name: /^Run sensitivity/ }));
    await waitFor(() => expect(store.getState().results!.sensitivity).toHaveLength(1), {
      timeout: 60_000,
    });
    await user.click(await within(sensitivity).findByRole('button', { name: 'Table' }));
    const rows = within(within(sensitivity).getByRole('table')).getAllByRole('row');
    expect(rows).toHaveLength(1 + 4 * 9); // header + (3 layers + global) x 9 levels
    client.dispose();
  });
});
