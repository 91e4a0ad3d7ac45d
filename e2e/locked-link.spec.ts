import { expect, test } from '@playwright/test';
import { openApp } from './helpers';

/** A lecturer's link for the projector: locked settings, classroom mode, a guided experiment. */
const LOCKED =
  '#v=1&dataset=synthetic&denseEpochs=1&cycles=2&batchSize=64&lock=1&classroom=1&preset=ft-vs-slr';

test('a locked classroom link pasted into an open tab locks the page and stays in the address bar', async ({
  page,
}) => {
  await openApp(page);
  await expect(page.getByLabel('Cycles')).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Classroom mode' })).toHaveAttribute(
    'aria-pressed',
    'false',
  );

  // Pasted into the address bar of the open tab: a hashchange, not a fresh page.
  await page.evaluate((hash) => (window.location.hash = hash), LOCKED);

  await expect(page.getByLabel('Cycles')).toHaveValue('2');
  await expect(page.getByLabel('Cycles')).toBeDisabled();
  await expect(page.getByLabel('Data set', { exact: true })).toBeDisabled();
  await expect(page.getByText("The lecturer's link fixes these settings.")).toBeVisible();
  await expect(page.getByRole('button', { name: 'Classroom mode' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  const guide = page.getByRole('region', { name: 'Guided experiments' });
  await expect(guide.getByLabel('Experiment')).toHaveValue('ft-vs-slr');
  await expect(guide.getByLabel('Experiment')).toBeDisabled();
  await expect(guide.getByText(/retrain at the small final learning rate/)).toBeVisible();
  await expect(guide.getByRole('button', { name: 'Run the experiment' })).toBeEnabled();

  // The address bar keeps the whole link (written back in the codec's order).
  await expect(page).toHaveURL(
    /#v=2&dataset=synthetic&model=lenet300&denseEpochs=1&cycles=2&batchSize=64&/,
  );
  for (const part of ['lock=1', 'classroom=1', 'preset=ft-vs-slr']) {
    await expect(page).toHaveURL(new RegExp(`&${part}(&|$)`));
  }
  // The Share dialog offers the same locked link.
  await page.getByRole('button', { name: 'Share settings…' }).click();
  const link = await page.getByLabel('Link', { exact: true }).inputValue();
  expect(link).toBe(page.url());
});
