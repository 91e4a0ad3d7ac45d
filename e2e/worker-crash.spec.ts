import { expect, test } from '@playwright/test';

const TINY =
  '#v=1&dataset=synthetic&denseEpochs=1&targetSparsity=0.75&cycles=6&retrainEpochs=3' +
  '&batchSize=64&backend=wasm';

test('a worker that dies mid-run gets a message, and Resume continues from the last whole cycle', async ({
  page,
}) => {
  await page.goto(`./${TINY}`);
  await expect(page.getByTestId('backend')).toContainText('Backend:', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Run all' }).click();
  await expect(page.getByTestId('stage')).toContainText('Cycle 2 of 6', { timeout: 120_000 });

  // The engine's worker closes itself, as one killed for memory would stop: no event, no reply.
  const engine = page.workers().find((w) => /engine\.worker/.test(w.url()));
  expect(
    engine,
    page
      .workers()
      .map((w) => w.url())
      .join(', '),
  ).toBeDefined();
  await engine!.evaluate(() => self.close());

  const banner = page.getByRole('alert').filter({ hasText: 'Engine stopped' });
  await expect(banner).toContainText(
    'The engine stopped: its worker stopped answering (it may have run out of memory, or been ' +
      'closed). What it had done since the last whole cycle is lost. The run is saved up to cycle',
    { timeout: 45_000 },
  );
  await expect(banner).toContainText('press Resume in the Runs panel to continue it from there.');
  const saved = Number(/saved up to cycle (\d+)/.exec((await banner.textContent()) ?? '')?.[1]);
  expect(saved).toBeGreaterThanOrEqual(1);
  await expect(page.getByRole('button', { name: 'Pause' })).toBeDisabled(); // nothing runs

  const rows = page.getByRole('table', { name: 'Saved runs' }).getByRole('row');
  await expect(rows).toHaveCount(2);
  await rows
    .nth(1)
    .getByRole('button', { name: /^Resume/ })
    .click();
  await expect(page.getByTestId('stage')).toContainText('Done: 6 of 6 cycles', {
    timeout: 180_000,
  });
  await expect(banner).toHaveCount(0);
  await expect(rows).toHaveCount(2); // the same run, finished
  await expect(rows.nth(1)).toContainText('finished');
  const table = page.getByRole('table', { name: 'Test accuracy per cycle' });
  for (let j = 1; j <= 6; j++) {
    await expect(table.getByRole('rowheader', { name: `Cycle ${j}`, exact: true })).toBeVisible();
  }
  // A fresh worker carries the run on.
  expect(page.workers().filter((w) => /engine\.worker/.test(w.url()))).toHaveLength(1);
});
