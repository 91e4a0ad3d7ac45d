import { expect, test, type Page } from '@playwright/test';
import { configure } from './helpers';
import { serveStatic } from './static-server';

const isolatedAndControlled = (page: Page) =>
  page
    .evaluate(() => crossOriginIsolated && navigator.serviceWorker.controller !== null)
    .catch(() => false); // the page may be reloading

test('after one visit on a static host without COOP/COEP headers, the lab opens isolated and trains with no network; MNIST comes from the offline copy', async ({
  browser,
}) => {
  // The build, served with no isolation headers: only the service worker can make the page
  // cross-origin isolated, and once the host is gone only the service worker can answer.
  const host = await serveStatic('dist');
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(`${host.url}#v=1&dataset=synthetic`);
    // The worker installs (precaching the app and MNIST), takes control, and the page reloads
    // once into it, now isolated.
    await expect.poll(() => isolatedAndControlled(page), { timeout: 120_000 }).toBe(true);
    await expect(page.getByTestId('backend')).toContainText('Backend:', { timeout: 60_000 });

    await host.close();
    await context.setOffline(true);
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Pruning Lab' })).toBeVisible();
    await expect(page.getByTestId('backend')).toContainText('Backend:', { timeout: 60_000 });
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const badge = await page.getByTestId('backend').textContent();
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    if (badge?.includes('Backend: wasm') && cores > 1) expect(badge).toContain(`${cores} threads`);

    // A short experiment, offline.
    await configure(page, {
      numbers: { 'Dense epochs': '1', Cycles: '1', 'Retrain epochs per cycle': '1' },
    });
    await page.getByRole('button', { name: 'Run all' }).click();
    await expect(page.getByTestId('stage')).toHaveText('Done: 1 of 1 cycles', {
      timeout: 120_000,
    });
    await page.getByRole('button', { name: 'Reset' }).click();
    await expect(page.getByTestId('stage')).toHaveText('Not trained yet');

    // MNIST (11 MB) from the offline copy: dense training starts once it is loaded.
    await configure(page, { selects: { 'Data set': 'mnist' } });
    await page.getByRole('button', { name: 'Train dense' }).click();
    await expect(page.locator('.progress-label')).toContainText('Training dense', {
      timeout: 90_000,
    });
    await page.getByRole('button', { name: 'Reset' }).click();
    await expect(page.getByTestId('stage')).toHaveText('Not trained yet');
    await expect(page.getByRole('alert')).toHaveCount(0);

    // A data set not in the offline copy (MNIST taken out of it) is named in words.
    await configure(page, { selects: { 'Data set': 'synthetic' } });
    const removed = await page.evaluate(async () => {
      let count = 0;
      for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const request of await cache.keys()) {
          if (request.url.includes('/data/mnist/')) count += Number(await cache.delete(request));
        }
      }
      return count;
    });
    expect(removed).toBe(4);
    await page.reload();
    await expect(page.getByTestId('backend')).toContainText('Backend:', { timeout: 60_000 });
    await configure(page, { selects: { 'Data set': 'mnist' } });
    await page.getByRole('button', { name: 'Train dense' }).click();
    const alert = page.getByRole('alert');
    await expect(alert).toContainText(
      "MNIST is not in this browser's offline copy yet: connect once to download it",
    );
    await expect(alert).not.toContainText('Failed to fetch');
  } finally {
    await context.close();
    await host.close().catch(() => {});
  }
});
