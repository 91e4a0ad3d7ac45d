import { expect, test } from '@playwright/test';
import { downloadResults } from './helpers';

test('inference speed: dense against CSR kernels at batch 1 and 128, beside the report’s theoretical speed-up', async ({
  page,
}) => {
  await page.goto('./#v=1&dataset=synthetic&denseEpochs=1&cycles=2');
  await expect(page.getByTestId('backend')).toContainText('Backend:', { timeout: 60_000 });
  const panel = page.getByRole('region', { name: 'Inside the network' });
  const speed = panel.getByRole('region', { name: 'Inference speed' });
  await speed.getByRole('button', { name: 'Inference speed', exact: true }).click();
  await expect(speed.getByRole('button', { name: 'Inference speed', exact: true })).toHaveAttribute(
    'aria-expanded',
    'true',
  );

  await page.getByRole('button', { name: 'Run all' }).click();
  await expect(page.getByTestId('stage')).toHaveText('Done: 2 of 2 cycles', { timeout: 240_000 });
  const results = await downloadResults(page);

  await speed.getByRole('button', { name: /^Measure inference speed \(after cycle 2\)/ }).click();
  await expect(speed.getByRole('button', { name: /^Measure inference speed/ })).toBeEnabled({
    timeout: 60_000,
  });
  await expect(speed.getByRole('alert')).toHaveCount(0);
  await expect(speed.locator('rect.plot-bar')).not.toHaveCount(0);

  await speed.getByRole('button', { name: 'Table' }).click();
  const table = speed.locator('.chart-table table');
  await expect(table).toBeVisible();
  const head = await table.locator('thead th').allTextContents();
  const rows = await table
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent ?? '')),
    );
  const col = (name: string) => head.findIndex((h) => h.startsWith(name));
  expect(rows.map((r) => r[0])).toEqual(['1', '128']);
  for (const r of rows) {
    for (const name of ['dense samples/s', 'CSR samples/s', 'measured speed-up']) {
      expect(Number(r[col(name)])).toBeGreaterThan(0);
    }
  }
  // The theoretical speed-up is the compression report's, in the results and on the page.
  const report = results.cycles[1]!.report.total.speedup;
  for (const r of rows) expect(Number(r[col('theoretical FLOPs speed-up')])).toBeCloseTo(report, 3);
  await expect(page.getByRole('region', { name: 'Compression report' })).toContainText(
    `theoretical speed-up ${report.toFixed(1)}×`,
  );
});
