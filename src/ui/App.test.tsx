// @vitest-environment jsdom
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { lrScheduleView } from '../state/selectors';
import { createAppStore } from '../state/store';
import type { ViewOptions } from '../state/view';
import { tinyConfig } from '../test/fixtures';
import { testClient } from '../test/in-process';
import { App } from './App';
import { StoreProvider } from './store-context';

afterEach(cleanup);

function renderApp(view?: ViewOptions) {
  const store = createAppStore(
    testClient(),
    tinyConfig({ cycles: 1, targetSparsity: 0.5 }),
    [],
    undefined,
    view,
  );
  render(
    <StoreProvider store={store}>
      <App />
    </StoreProvider>,
  );
  return store;
}

describe('App', () => {
  it('names every step button and runs the experiment from the keyboard', async () => {
    const store = renderApp();
    const user = userEvent.setup();
    for (const name of [
      'Train dense',
      'Prune',
      'Retrain',
      'Step cycle',
      'Run all',
      'Pause',
      'Reset',
    ]) {
      expect(screen.getByRole('button', { name })).toBeInTheDocument();
    }
    await waitFor(() => expect(screen.getByTestId('backend')).toHaveTextContent('Backend: cpu'));
    expect(screen.getByRole('button', { name: 'Prune' })).toBeDisabled();
    screen.getByRole('button', { name: 'Run all' }).focus();
    await user.keyboard('{Enter}');
    // The button lets go of focus as the run starts (it is disabled in the same commit, which
    // would otherwise make React restore focus through a forced layout).
    expect(document.activeElement).not.toBe(screen.getByRole('button', { name: 'Run all' }));
    await waitFor(() => expect(store.getState().status?.done).toBe(true), { timeout: 60_000 });
    await waitFor(() =>
      expect(screen.getByTestId('stage')).toHaveTextContent('Done: 1 of 1 cycles'),
    );
    const table = screen.getByRole('table', { name: 'Test accuracy per cycle' });
    // The tables take new results a moment later than the charts (staggered renders).
    expect(await within(table).findByRole('rowheader', { name: 'Cycle 1' })).toBeInTheDocument();
    expect(within(table).getAllByText('50.00%')).toHaveLength(1);
    expect(screen.getByRole('button', { name: 'Download results' })).toBeEnabled();
    expect(screen.getByRole('button', { name: 'Run all' })).toBeDisabled();
  });

  it('validates settings in place, naming the problem, and keeps the last good value', async () => {
    const store = renderApp();
    const user = userEvent.setup();
    const cycles = screen.getByLabelText('Cycles');
    await user.clear(cycles);
    await user.type(cycles, '0');
    // In words, with the field's label (not the validator's "Too small: expected number to be >=1").
    expect(screen.getByRole('alert')).toHaveTextContent(/^Cycles must be at least 1\.$/);
    expect(cycles).toHaveAttribute('aria-invalid', 'true');
    expect(store.getState().config.cycles).toBe(1);
    await user.clear(cycles);
    await user.type(cycles, '3');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(store.getState().config.cycles).toBe(3);
    const sparsity = screen.getByLabelText('Target sparsity (%)');
    await user.clear(sparsity);
    await user.type(sparsity, '100');
    expect(screen.getByRole('alert')).toHaveTextContent('Enter a percentage from 0 to 99.9.');
    expect(screen.getByRole('button', { name: 'Run all' })).toBeDisabled();
    expect(screen.getByText('Fix the highlighted setting to run.')).toBeInTheDocument();
    await user.clear(sparsity);
    await user.type(sparsity, '80');
    expect(store.getState().config.targetSparsity).toBe(0.8);
    await waitFor(() => expect(screen.getByRole('button', { name: 'Run all' })).toBeEnabled());
    await user.selectOptions(screen.getByLabelText('Retrain schedule'), 'clr');
    expect(store.getState().config.retrainSchedule).toBe('clr');
  });

  it('per-layer overrides from the settings reach the run', async () => {
    const store = renderApp();
    const user = userEvent.setup();
    const fc3 = await screen.findByLabelText('fc3 (1,000 weights)');
    await user.selectOptions(fc3, 'exclude');
    await user.selectOptions(screen.getByLabelText('fc1 (235,200 weights)'), 'pin');
    const pin = screen.getByLabelText('fc1 pinned sparsity (%)');
    await user.clear(pin);
    await user.type(pin, '80');
    expect(store.getState().config.layerOverrides).toEqual({ fc3: 'exclude', fc1: 0.8 });
    // 50% keeps 133,100 of 266,200; fc1 at 80% keeps 47,040 and fc3 1,000, fc2 holds 30,000:
    // 78,040 at most, so the run would end at 70.68%. Refused at the field, with the numbers.
    const overrides = screen.getByRole('group', { name: 'Per-layer overrides' });
    expect(within(overrides).getByRole('alert')).toHaveTextContent(
      'Per-layer overrides cannot reach 50% sparsity: fc1 pinned at 80% and fc3 excluded keep ' +
        'only 48,040 weights and the other layers (fc2) hold 30,000: together fewer than the ' +
        '133,100 that 50% keeps, so the run would end at 70.68%.',
    );
    expect(screen.getByRole('button', { name: 'Run all' })).toBeDisabled();
    // fc1 at 50% keeps 117,600: fc2 keeps the other 14,500 of its 30,000.
    await user.clear(pin);
    await user.type(pin, '50');
    expect(within(overrides).queryByRole('alert')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Run all' }));
    await waitFor(() => expect(store.getState().status?.done).toBe(true), { timeout: 60_000 });
    const layers = store.getState().results!.cycles[0]!.layers;
    expect(layers.map((l) => [l.name, l.alive])).toEqual([
      ['fc1', 117600],
      ['fc2', 14500],
      ['fc3', 1000],
    ]);
  });

  it('the LR preview and the per-layer list follow every change at once, with no engine call', async () => {
    const client = testClient();
    let configures = 0;
    const counted = {
      ...client,
      configure: (...args: Parameters<typeof client.configure>) => {
        configures += 1;
        return client.configure(...args);
      },
    };
    const store = createAppStore(counted, tinyConfig({ cycles: 1, targetSparsity: 0.5 }));
    render(
      <StoreProvider store={store}>
        <App />
      </StoreProvider>,
    );
    const user = userEvent.setup();
    await waitFor(() => expect(screen.getByTestId('backend')).toHaveTextContent('Backend: cpu'));
    const before = configures;
    expect(screen.getByText('Retraining learning rate (SLR, preview)')).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText('Retrain schedule'), 'ft');
    const epochs = screen.getByLabelText('Retrain epochs per cycle');
    await user.clear(epochs);
    await user.type(epochs, '3');
    expect(screen.getByText('Retraining learning rate (FT, preview)')).toBeInTheDocument();
    // 3 epochs of 16 iterations (1,024 images, batch 64), all at lrMin = lr / 100.
    const view = lrScheduleView(store.getState())!;
    expect(view.iterations).toBe(48);
    expect(new Set(view.points.map((p) => p.lr))).toEqual(new Set([0.001]));
    await user.selectOptions(screen.getByLabelText('Model'), 'lenet5');
    expect(screen.getByLabelText('conv1 (150 weights)')).toBeInTheDocument();
    expect(screen.getByLabelText('fc1 (48,000 weights)')).toBeInTheDocument();
    expect(configures).toBe(before);
  });

  it('offers the regimes: GMP swaps the cycle settings for its own and runs from the UI', async () => {
    const store = renderApp();
    const user = userEvent.setup();
    expect(screen.getByLabelText('Cycles')).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText('Regime'), 'gmp');
    expect(screen.queryByLabelText('Cycles')).toBeNull();
    expect(screen.queryByLabelText('Retrain schedule')).toBeNull();
    const every = screen.getByLabelText('GMP prunes every (iterations)');
    await user.clear(every);
    await user.type(every, '4');
    expect(store.getState().config).toMatchObject({ regime: 'gmp', gmpEvery: 4 });
    expect(screen.getByRole('button', { name: 'Train with GMP' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Run all' }));
    await waitFor(() => expect(store.getState().status?.done).toBe(true), { timeout: 60_000 });
    await waitFor(() =>
      expect(screen.getByTestId('stage')).toHaveTextContent('Done: trained and pruned with GMP'),
    );
    const table = screen.getByRole('table', { name: 'Test accuracy per cycle' });
    // 16 iterations: t_0 = 1, t_end = 12, dt = 4 -> n = 2, steps at t = 1, 5, 9 (s_f = 50%).
    expect(await within(table).findByRole('rowheader', { name: 'GMP run' })).toBeInTheDocument();
    expect(await within(table).findByText('50.00%')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Prune' })).toBeDisabled();
  });

  it('checks settings against each other: rewinding to an epoch after the dense run', async () => {
    const store = renderApp();
    const user = userEvent.setup();
    await user.selectOptions(screen.getByLabelText('Weight rewinding'), 'epoch');
    const epoch = screen.getByLabelText('Rewind to dense epoch');
    await user.clear(epoch);
    await user.type(epoch, '2'); // the tiny config trains 1 dense epoch
    // Said at the field itself.
    expect(screen.getByRole('alert')).toHaveTextContent(
      /^Rewind to dense epoch must be at most Dense epochs \(1\)\.$/,
    );
    expect(epoch).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('button', { name: 'Run all' })).toBeDisabled();
    const dense = screen.getByLabelText('Dense epochs');
    await user.clear(dense);
    await user.type(dense, '2');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(store.getState().config).toMatchObject({ rewind: 'epoch', rewindEpoch: 2 });
    await waitFor(() => expect(screen.getByRole('button', { name: 'Run all' })).toBeEnabled());
  });

  it('offers batch-norm recalibration only for models with batch norm', async () => {
    const store = renderApp();
    const user = userEvent.setup();
    const label = 'Recalibrate batch norm after each prune';
    expect(screen.queryByLabelText(label)).toBeNull();
    await user.selectOptions(screen.getByLabelText('Model'), 'resnet8');
    await user.click(screen.getByLabelText(label));
    expect(store.getState().config).toMatchObject({ model: 'resnet8', bnRecalibration: true });
  });

  it('runs the main loop from the keyboard: space steps, r runs all, p pauses; ? shows the sheet', async () => {
    const store = renderApp();
    const user = userEvent.setup();
    await waitFor(() => expect(screen.getByTestId('backend')).toHaveTextContent('Backend: cpu'));
    // A key typed into a setting stays there.
    await user.click(screen.getByLabelText('Seed'));
    await user.keyboard('r');
    expect(store.getState().busy).toBeNull();
    (document.activeElement as HTMLElement).blur();
    await user.keyboard(' ');
    await waitFor(() => expect(store.getState().status?.stage).toBe('trained'), {
      timeout: 60_000,
    });
    await user.keyboard('r');
    await waitFor(() => expect(store.getState().busy).toBe('runAll'));
    await user.keyboard('p');
    expect(store.getState().paused).toBe(true);
    await user.keyboard('p');
    expect(store.getState().paused).toBe(false);
    await waitFor(() => expect(store.getState().status?.done).toBe(true), { timeout: 60_000 });
    await user.keyboard('?');
    const sheet = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(within(sheet).getByText('Run all')).toBeInTheDocument();
    await user.click(within(sheet).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('classroom flags: hidden controls are gone, locked settings cannot change, big type on', async () => {
    const store = renderApp({
      classroom: false,
      hide: ['lr', 'seed', 'layerOverrides'],
      lock: true,
    });
    const user = userEvent.setup();
    expect(screen.queryByLabelText('Learning rate (max)')).toBeNull();
    expect(screen.queryByLabelText('Seed')).toBeNull();
    expect(screen.queryByText('Per-layer overrides')).toBeNull();
    expect(screen.getByLabelText('Cycles')).toBeDisabled();
    expect(screen.getByText("The lecturer's link fixes these settings.")).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Classroom mode' }));
    expect(store.getState().view.classroom).toBe(true);
    expect(document.querySelector('.app.classroom')).not.toBeNull();
    expect(screen.getByRole('button', { name: 'Classroom mode' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
  });

  it('a guided experiment asks for a prediction, runs its runs, then says what to look for', async () => {
    const store = renderApp();
    const user = userEvent.setup();
    await user.selectOptions(screen.getByLabelText('Experiment'), 'global-vs-uniform');
    expect(screen.getByText(/should every layer lose the same share/)).toBeInTheDocument();
    await user.type(screen.getByPlaceholderText('Your prediction'), 'global wins');
    expect(screen.getByText('What to look for').closest('details')).not.toHaveAttribute('open');
    // Tiny runs for the test: the preset's settings over the synthetic base.
    await store.getState().runPreset(tinyConfig({ cycles: 1 }));
    await waitFor(() =>
      expect(screen.getByText('What to look for').closest('details')).toHaveAttribute('open'),
    );
    expect(screen.getByRole('button', { name: 'Run the experiment again' })).toBeEnabled();
    expect(screen.getByPlaceholderText('Your prediction')).toHaveValue('global wins');
    expect(store.getState().runs.filter((r) => r.pinned)).toHaveLength(2);
    // The outcome of each run beside the prediction, and the comparison says what differs.
    const outcome = screen.getByRole('group', { name: 'Your prediction and the outcome' });
    expect(outcome).toHaveTextContent('Your prediction: global wins');
    const table = within(outcome).getByRole('table', { name: 'Outcome' });
    for (const [label, criterion] of [
      ['global', 'global'],
      ['uniform', 'uniform'],
    ] as const) {
      const run = store.getState().runs.find((r) => r.results.config.criterion === criterion)!;
      const last = run.results.cycles.at(-1)!;
      expect(within(table).getByRole('row', { name: new RegExp(`^${label} `) })).toHaveTextContent(
        `${label}${(100 * last.sparsity).toFixed(2)}%${(100 * last.afterRetrain!.testAccuracy).toFixed(2)}%`,
      );
    }
    await waitFor(() =>
      expect(screen.getByTestId('compare-title')).toHaveTextContent(
        'Comparing Global magnitude vs Uniform',
      ),
    );
  });

  it('says "Training dense" while the dense network trains', async () => {
    const store = renderApp();
    await waitFor(() => expect(screen.getByTestId('backend')).toHaveTextContent('Backend: cpu'));
    expect(screen.getByTestId('stage')).toHaveTextContent('Not trained yet');
    const running = store.getState().run('trainDense');
    store.getState().pause(); // held at its next batch, still in dense training
    await waitFor(() => expect(screen.getByTestId('stage')).toHaveTextContent('Training dense'));
    store.getState().resume();
    await running;
    await waitFor(() =>
      expect(screen.getByTestId('stage')).toHaveTextContent('Dense network trained'),
    );
  });

  it('opens a listed run in the main charts and tables, read only, until Back to the live experiment', async () => {
    const other = createAppStore(testClient(), tinyConfig({ cycles: 2, retrainSchedule: 'ft' }));
    await other.getState().run('runAll');
    const theirs = other.getState().results!;
    const store = renderApp();
    const user = userEvent.setup();
    await waitFor(() => expect(screen.getByTestId('backend')).toHaveTextContent('Backend: cpu'));
    store.getState().importResultsFile('theirs.json', JSON.stringify(theirs));
    const runs = await screen.findByRole('table', { name: 'Saved runs' });
    await user.click(within(runs).getByRole('button', { name: /^Open / }));

    const banner = screen.getByRole('region', { name: 'Opened run' });
    expect(banner).toHaveTextContent(
      'Showing imported run “lenet300 · global · 75% · ft” (read only)',
    );
    const table = screen.getByRole('table', { name: 'Test accuracy per cycle' });
    for (const c of theirs.cycles) {
      const row = await within(table).findByRole('row', { name: new RegExp(`^Cycle ${c.cycle} `) });
      expect(row).toHaveTextContent(
        `${(100 * c.sparsity).toFixed(2)}%${(100 * c.afterPrune.testAccuracy).toFixed(2)}%` +
          `${(100 * c.afterRetrain!.testAccuracy).toFixed(2)}%`,
      );
    }
    // Read only: no live model to download.
    expect(within(table).queryByRole('button', { name: /Download the model/ })).toBeNull();
    // The report and the charts take the opened run at their turns of the redraw queue.
    expect(await screen.findByRole('region', { name: 'Compression report' })).toHaveTextContent(
      'Compression after cycle 2',
    );
    expect(await screen.findByText('Retraining learning rate, cycle 2 (FT)')).toBeInTheDocument();

    // Named, it is shown by its name.
    await user.click(within(runs).getByRole('button', { name: /^Rename / }));
    await user.type(within(runs).getByLabelText('Run name'), 'their FT run{Enter}');
    expect(banner).toHaveTextContent('Showing imported run “their FT run” (read only)');
    // The run list redraws at its turn of the redraw queue.
    expect(
      await within(runs).findByRole('rowheader', { name: /^their FT run/ }),
    ).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Back to the live experiment' }));
    expect(screen.queryByRole('region', { name: 'Opened run' })).toBeNull();
    await waitFor(() =>
      expect(within(table).queryByRole('rowheader', { name: 'Cycle 1' })).toBeNull(),
    );
    await waitFor(() =>
      expect(screen.queryByRole('region', { name: 'Compression report' })).toBeNull(),
    );
    expect(await screen.findByText('Retraining learning rate (SLR, preview)')).toBeInTheDocument();
  });
});
