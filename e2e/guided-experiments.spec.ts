import { expect, test } from '@playwright/test';
import { PRESETS, presetConfig } from '../src/state/presets';

/**
 * Every guided experiment, end to end through the worker, in its quick version (the same runs
 * on the tiny synthetic data set): each run trains to its target, is pinned, and the outcome
 * is shown beside the prediction with what to look for.
 */
for (const preset of PRESETS) {
  test(`guided experiment “${preset.title}” runs all ${preset.runs.length} runs, pins them and shows the outcome`, async ({
    page,
  }) => {
    await page.goto('./#v=1&backend=wasm');
    await expect(page.getByTestId('backend')).toContainText('Backend:', { timeout: 60_000 });
    const guide = page.getByRole('region', { name: 'Guided experiments' });
    await guide.getByLabel('Experiment').selectOption(preset.id);
    const prediction = `My guess for ${preset.id}: the first one wins.`;
    await guide.getByPlaceholder('Your prediction').fill(prediction);
    await guide.getByRole('checkbox', { name: /^Quick version/ }).check();
    await expect(guide).toContainText('on the tiny synthetic data set');
    const lookFor = guide.locator('details');
    await expect(lookFor).not.toHaveAttribute('open');
    await guide.getByRole('button', { name: 'Run the experiment' }).click();

    const outcome = guide.getByRole('group', { name: 'Your prediction and the outcome' });
    await expect(outcome).toBeVisible({ timeout: 180_000 });
    await expect(lookFor).toHaveAttribute('open');
    await expect(lookFor).toContainText(preset.lookFor);
    await expect(outcome).toContainText(`Your prediction: ${prediction}`);
    await expect(guide.getByRole('button', { name: 'Run the experiment again' })).toBeEnabled();

    // Each run trained all its cycles to its own target sparsity.
    const rows = outcome.getByRole('table', { name: 'Outcome' }).getByRole('row');
    await expect(rows).toHaveCount(preset.runs.length + 1);
    for (const [i, run] of preset.runs.entries()) {
      const cells = rows.nth(i + 1).getByRole('cell');
      await expect(rows.nth(i + 1).getByRole('rowheader')).toHaveText(run.label);
      const sparsity = parseFloat((await cells.nth(0).textContent())!);
      const accuracy = parseFloat((await cells.nth(1).textContent())!);
      const target = presetConfig(run.settings).targetSparsity;
      expect(Math.abs(sparsity - 100 * target), run.label).toBeLessThan(0.05);
      expect(accuracy, run.label).toBeGreaterThanOrEqual(0);
      expect(accuracy, run.label).toBeLessThanOrEqual(100);
    }
    const last = presetConfig(preset.runs.at(-1)!.settings);
    await expect(page.getByTestId('stage')).toHaveText(
      `Done: ${last.cycles} of ${last.cycles} cycles`,
    );

    // Exactly this experiment's runs are finished and pinned, compared side by side.
    const saved = page.getByRole('table', { name: 'Saved runs' });
    await expect(saved.getByRole('row').filter({ hasText: 'finished' })).toHaveCount(
      preset.runs.length,
    );
    await expect(saved.getByRole('checkbox', { checked: true })).toHaveCount(preset.runs.length);
    await expect(page.locator('figure[data-chart="compare-accuracy"] .plot-line')).toHaveCount(
      preset.runs.length,
    );
    const title = page.getByTestId('compare-title');
    await expect(title).toContainText(' vs ');
    await expect(title).not.toContainText('same settings');
  });
}

test('a guided experiment with 3 seeds per run gives each mean ± std and says whether the gap exceeds the spread', async ({
  page,
}) => {
  await page.goto('./#v=1&backend=wasm');
  await expect(page.getByTestId('backend')).toContainText('Backend:', { timeout: 60_000 });
  const guide = page.getByRole('region', { name: 'Guided experiments' });
  await guide.getByLabel('Experiment').selectOption('random-control');
  await guide.getByRole('checkbox', { name: /^Quick version/ }).check();
  await guide.getByLabel('Runs per setting').selectOption('3');
  await expect(guide).toContainText('a few seconds each, per seed');
  await guide.getByRole('button', { name: 'Run the experiment' }).click();

  const outcome = guide.getByRole('group', { name: 'Your prediction and the outcome' });
  await expect(outcome).toBeVisible({ timeout: 300_000 });
  const rows = outcome.getByRole('table', { name: 'Outcome' }).getByRole('row');
  const means: number[] = [];
  const stds: number[] = [];
  for (const i of [1, 2]) {
    const text = (await rows.nth(i).getByRole('cell').nth(1).textContent())!;
    const match = /^(\d+\.\d\d)% ± (\d+\.\d\d) \(3 seeds\)$/.exec(text);
    expect(match, text).not.toBeNull();
    means.push(Number(match![1]));
    stds.push(Number(match![2]));
  }
  // One verdict, in the direction of the gap, and the right one for these numbers.
  const verdicts = outcome.getByRole('list', { name: 'Gap against spread' }).getByRole('listitem');
  await expect(verdicts).toHaveCount(1);
  const gap = means[1]! - means[0]!;
  const exceeds = Math.abs(gap) > stds[0]! + stds[1]!;
  await expect(verdicts.first()).toContainText(
    `random ends ${Math.abs(gap).toFixed(2)} points ${gap >= 0 ? 'above' : 'below'} global magnitude: ${
      exceeds ? 'more than' : 'within'
    } the spread over seeds (±${stds[0]!.toFixed(2)} and ±${stds[1]!.toFixed(2)})`,
  );
  // Two saved runs, each holding its three seeds.
  const saved = page.getByRole('table', { name: 'Saved runs' });
  await expect(saved.getByRole('row').filter({ hasText: 'finished' })).toHaveCount(2);
});
