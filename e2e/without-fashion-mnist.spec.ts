/**
 * A copy of the lab built where Debian's dataset-fashion-mnist was missing: the page starts on
 * MNIST instead of the default Fashion-MNIST, says why, and trains; picking Fashion-MNIST says
 * how to get it. The build is made here (into a temporary folder, as if the package had not
 * been there: PRUNING_LAB_FASHION_MNIST=0 and no public/data/fashion-mnist/ in it) and served
 * by a bare static host.
 */
import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configure } from './helpers';
import { serveStatic } from './static-server';

test('a build without Fashion-MNIST starts on MNIST, says why, and trains', async ({ page }) => {
  test.setTimeout(360_000);
  const out = mkdtempSync(join(tmpdir(), 'pruning-lab-no-fmnist-'));
  const build = spawnSync('npx', ['vite', 'build', '--outDir', out, '--emptyOutDir'], {
    env: { ...process.env, PRUNING_LAB_FASHION_MNIST: '0' },
    encoding: 'utf8',
  });
  expect(build.status, build.stderr).toBe(0);
  rmSync(join(out, 'data', 'fashion-mnist'), { recursive: true, force: true });
  const host = await serveStatic(out);
  try {
    await page.goto(`${host.url}#v=2&denseEpochs=1&cycles=1&retrainEpochs=0`);
    await expect(page.getByTestId('backend')).toContainText('Backend:', { timeout: 60_000 });
    await expect(page.getByLabel('Data set', { exact: true })).toHaveValue('mnist');
    await expect(page.getByLabel('Model', { exact: true })).toHaveValue('lenet5');
    await expect(page.getByRole('status', { name: 'Link notice' })).toContainText(
      'dataset=fashion-mnist (not built into this copy of the lab: MNIST instead',
    );
    // The address bar says what the page runs.
    await expect(page).toHaveURL(/#v=2&dataset=mnist&denseEpochs=1&cycles=1&retrainEpochs=0$/);

    // It is still offered, and says it is not in this copy.
    await expect(
      page.getByRole('option', { name: 'Fashion-MNIST (60k / 10k), not in this copy' }),
    ).toHaveCount(1);
    // Fashion-MNIST picked by hand: Run all says, in words, how to get it; nothing is lost.
    await configure(page, { selects: { 'Data set': 'fashion-mnist' } });
    await page.getByRole('button', { name: 'Run all' }).click();
    await expect(page.getByRole('alert')).toContainText(
      'This copy of the lab was built without Fashion-MNIST',
      { timeout: 60_000 },
    );
    await expect(page.getByLabel('Data set', { exact: true })).toHaveValue('fashion-mnist');

    // MNIST, from this build, trains to Done.
    await configure(page, { selects: { 'Data set': 'mnist' } });
    await page.getByRole('button', { name: 'Run all' }).click();
    await expect(page.getByTestId('stage')).toHaveText('Done: 1 of 1 cycles', {
      timeout: 240_000,
    });
  } finally {
    await host.close();
    rmSync(out, { recursive: true, force: true });
  }
});
