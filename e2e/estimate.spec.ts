import { expect, test } from '@playwright/test';
import { configure, openApp } from './helpers';

/** Seconds in "about 2 min 30 s", "about 1 h 45 min", "about 40 s". */
function seconds(text: string): number {
  const part = (unit: string) => Number(new RegExp(`(\\d+) ${unit}\\b`).exec(text)?.[1] ?? 0);
  return 3600 * part('h') + 60 * part('min') + part('s');
}

test('Run all shows an estimate from the speed measured here (long ones say so), and the time left while it runs', async ({
  page,
}) => {
  await openApp(page);
  const estimate = page.getByTestId('estimate');
  // The default, LeNet-5 on Fashion-MNIST: measured on this machine, then estimated.
  await expect(estimate).toHaveText(/^Run all: about \d+ (s|min)/, { timeout: 60_000 });

  // Conv-4 on Fashion-MNIST (about 12 minutes an epoch on a 2-core machine) is long, and says
  // what is quicker.
  await configure(page, { selects: { Model: 'conv4' } });
  await expect(estimate).toContainText('— long: try LeNet-5 or the synthetic data set', {
    timeout: 90_000,
  });
  expect(seconds((await estimate.textContent())!)).toBeGreaterThan(30 * 60);

  // The same model on the synthetic set: 2 epochs of 1,024 images.
  await configure(page, {
    selects: { 'Data set': 'synthetic' },
    numbers: { 'Dense epochs': '1', Cycles: '1', 'Retrain epochs per cycle': '1' },
  });
  await expect(estimate).toHaveText(/^Run all: about \d+ (s|min)( \d+ s)?$/);
  const estimated = seconds((await estimate.textContent())!);
  const start = Date.now();
  await page.getByRole('button', { name: 'Run all' }).click();
  await expect(estimate).toHaveText(/^Time left: about \d+ (s|min)/, { timeout: 60_000 });
  await expect(page.getByTestId('stage')).toHaveText('Done: 1 of 1 cycles', {
    timeout: 240_000,
  });
  const took = (Date.now() - start) / 1000;
  // "About": the run took between a third and three times the estimate.
  expect(took).toBeGreaterThan(estimated / 3);
  expect(took).toBeLessThan(estimated * 3);
  await expect(estimate).toHaveCount(0); // nothing left to estimate
});
