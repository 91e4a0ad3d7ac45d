import { expect, test } from '@playwright/test';
import { downloadResults } from './helpers';

// Issue 11, defect 2: LeNet-5 at 95% in 2 cycles with LAMP, tiny data.
const LINK =
  '#v=1&dataset=synthetic&model=lenet5&denseEpochs=1&targetSparsity=0.95&cycles=2' +
  '&criterion=lamp&batchSize=64&backend=wasm';

test('overrides that cannot reach the target are refused at the field, with the numbers', async ({
  page,
}) => {
  await page.goto(`./${LINK}`);
  await expect(page.getByTestId('backend')).toContainText('Backend:', { timeout: 60_000 });
  const runAll = page.getByRole('button', { name: 'Run all' });
  await expect(runAll).toBeEnabled();

  // conv1 excluded, fc1 pinned at 80%: conv1 keeps 150 and fc1 9,600 of its 48,000, but 95%
  // leaves 3,074 of LeNet-5's 61,470 weights. 58,396 must go, the pins prune 38,400: 19,996
  // more, from conv2, fc2 and fc3, which hold 2,400 + 10,080 + 840 = 13,320.
  await page.getByLabel('conv1 (150 weights)').selectOption('exclude');
  await page.getByLabel('fc1 (48,000 weights)').selectOption('pin');
  await page.getByLabel('fc1 pinned sparsity (%)').fill('80');
  const overrides = page.getByRole('group', { name: 'Per-layer overrides' });
  await expect(overrides.getByRole('alert')).toHaveText(
    'Per-layer overrides cannot reach 95% sparsity: conv1 excluded and fc1 pinned at 80% keep ' +
      '9,750 weights, more than the 3,074 of 61,470 that 95% leaves; the other layers (conv2, ' +
      'fc2, fc3) hold 13,320 weights, and 95% needs 19,996 more pruned. The run would end at ' +
      '84.12%, with 14 weights left in the other layers. Lower the target, pin layers sparser, ' +
      'or exclude fewer layers.',
  );
  await expect(runAll).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Step cycle' })).toBeDisabled();

  // A plain message at a number field too, with its label.
  await page.getByLabel('Dense epochs').fill('0');
  await expect(page.getByText('Dense epochs must be at least 1.')).toBeVisible();
  await page.getByLabel('Dense epochs').fill('1');
  await expect(page.getByText('Dense epochs must be at least 1.')).toHaveCount(0);

  // fc1 at 98% keeps 960: the other layers keep 3,074 - 150 - 960 = 1,964. The run reaches 95%.
  await page.getByLabel('fc1 pinned sparsity (%)').fill('98');
  await expect(overrides.getByRole('alert')).toHaveCount(0);
  await runAll.click();
  await expect(page.getByTestId('stage')).toContainText('Done', { timeout: 120_000 });
  const results = await downloadResults(page);
  expect(results.config.layerOverrides).toEqual({ conv1: 'exclude', fc1: 0.98 });
  const last = results.cycles.at(-1)!;
  const alive = Object.fromEntries(last.layers.map((l) => [l.name, l.alive]));
  expect(alive.conv1).toBe(150);
  expect(alive.fc1).toBe(960);
  expect(alive.conv2! + alive.fc2! + alive.fc3!).toBe(1964);
  expect(last.sparsity).toBeCloseTo(1 - 3074 / 61470, 12);
});
