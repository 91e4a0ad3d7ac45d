/**
 * axe-core (through @axe-core/playwright) over the main views: the default page, after a short
 * run, classroom mode, the dark theme, the share dialog open and an enlarged chart. No serious
 * or critical violation may remain (WCAG 2.x A and AA rules, contrast included).
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { chart } from './helpers';

const QUICK = '#v=1&dataset=synthetic&denseEpochs=1&cycles=2&targetSparsity=0.75&backend=wasm';

/** The serious and critical violations, each as "rule: target, target…" for a readable diff. */
async function seriousViolations(page: Page, view: string): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${view} · ${v.id} (${v.impact}): ${v.nodes
          .slice(0, 5)
          .map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n')[1]?.trim() ?? ''}`)
          .join('; ')}`,
    );
}

async function open(page: Page, hash: string) {
  await page.goto(`./${hash}`);
  await expect(page.getByTestId('backend')).toContainText('Backend:', { timeout: 60_000 });
}

async function runQuick(page: Page) {
  await page.getByRole('button', { name: 'Run all' }).click();
  await expect(page.getByTestId('stage')).toContainText('Done', { timeout: 120_000 });
  // The tables render a moment after the charts (deferred).
  await expect(page.getByRole('rowheader', { name: 'Cycle 2' })).toBeVisible();
}

for (const theme of ['light', 'dark'] as const) {
  test(`no serious accessibility violations (${theme} theme)`, async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.addInitScript((t) => localStorage.setItem('pruning-lab-theme', t), theme);
    await open(page, QUICK);
    const found = await seriousViolations(page, 'default page');
    await runQuick(page);
    found.push(...(await seriousViolations(page, 'after a run')));

    await page.getByRole('button', { name: 'Share settings…' }).click();
    await expect(page.getByRole('dialog', { name: 'Share these settings' })).toBeVisible();
    await expect(page.getByRole('img', { name: 'QR code of the link' })).toBeVisible();
    found.push(...(await seriousViolations(page, 'share dialog')));
    await page.keyboard.press('Escape');

    await chart(page, 'accuracy-sparsity').getByRole('button', { name: 'Enlarge' }).click();
    await expect(page.getByRole('dialog', { name: 'Test accuracy vs sparsity' })).toBeVisible();
    found.push(...(await seriousViolations(page, 'enlarged chart')));
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Classroom mode' }).click();
    await expect(page.locator('.app.classroom')).toBeVisible();
    found.push(...(await seriousViolations(page, 'classroom mode')));
    expect(found).toEqual([]);
  });
}

test('dark theme: chart ticks, axis titles, legends and muted text reach 4.5:1 on their panel', async ({
  page,
}) => {
  await page.addInitScript(() => localStorage.setItem('pruning-lab-theme', 'dark'));
  await open(page, QUICK);
  await runQuick(page);
  // axe leaves SVG text alone, so the contrast of the charts' text is measured here (WCAG's
  // relative luminance), against the panel's background colour.
  const low = await page.evaluate(() => {
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const lum = (c: string) => {
      const [r, g, b] = rgb(c).map((v) => {
        const x = v / 255;
        return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const ratio = (a: string, b: string) => {
      const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
      return (hi! + 0.05) / (lo! + 0.05);
    };
    const panel = getComputedStyle(document.querySelector('.chart-card')!).backgroundColor;
    const checks: [string, Element, string][] = [];
    for (const t of document.querySelectorAll('.chart-card svg text'))
      checks.push(['svg text', t, getComputedStyle(t).fill]);
    for (const t of document.querySelectorAll('.hint, .meta, .stage, .backend summary, .tagline'))
      checks.push([t.className, t, getComputedStyle(t).color]);
    return checks
      .filter(([, , colour]) => ratio(colour, panel) < 4.5)
      .map(
        ([kind, el, colour]) => `${kind} "${el.textContent?.slice(0, 20)}" ${colour} on ${panel}`,
      );
  });
  expect(low).toEqual([]);
});
