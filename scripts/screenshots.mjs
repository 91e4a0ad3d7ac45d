// Screenshots of the lab for docs/screenshots/: the default run (LeNet-5 on Fashion-MNIST, 5
// cycles to 90%, SLR) through the real worker in Debian's Chromium, at 1366 px, at a tablet's 768 px and at
// a projector's 1920 px in classroom mode, and every "Inside the network" view at 1366 px and in
// classroom mode. Serves the production build (run `npx vite build` first) with vite preview.
//
//   node scripts/screenshots.mjs [--port 4399] [--out docs/screenshots] [--hash '#v=2&...']
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { chromium } from '@playwright/test';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const port = Number(arg('port', '4399'));
const out = arg('out', 'docs/screenshots');
const hash = arg('hash', '#v=2');
const base = `http://127.0.0.1:${port}/`;

const server = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort'], {
  stdio: 'ignore',
  detached: true,
});
const stopServer = () => {
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
};
process.on('exit', stopServer);

async function waitForServer() {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(base)).ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no server on ${base}`);
}

// The views opened before the run (Inference speed is measured after it, and joins them).
const VIEWS = ['Weight magnitudes', 'Criterion preview', 'Masks', 'Layer sensitivity'];
const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-');

async function main() {
  await waitForServer();
  await mkdir(out, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-quic'],
  });
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  await page.goto(`${base}${hash}`);
  await page.getByTestId('backend').filter({ hasText: 'Backend:' }).waitFor({ timeout: 60_000 });
  const panel = page.getByRole('region', { name: 'Inside the network' });
  for (const name of VIEWS) {
    await panel.getByRole('region', { name }).getByRole('button', { name }).click();
  }
  const started = Date.now();
  await page.getByRole('button', { name: 'Run all' }).click();
  await page.getByTestId('stage').filter({ hasText: 'Done' }).waitFor({ timeout: 600_000 });
  console.log(`run: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const sensitivity = panel.getByRole('region', { name: 'Layer sensitivity' });
  await sensitivity.getByRole('button', { name: /^Run sensitivity/ }).click();
  await sensitivity
    .getByRole('button', { name: 'Cancel' })
    .waitFor({ state: 'detached', timeout: 300_000 });
  const speed = panel.getByRole('region', { name: 'Inference speed' });
  await speed.getByRole('button', { name: 'Inference speed', exact: true }).click();
  await speed.getByRole('button', { name: /^Measure inference speed/ }).click();
  await speed.locator('rect.plot-bar').first().waitFor({ timeout: 300_000 });
  VIEWS.push('Inference speed');
  // No tooltip left open under the pointer.
  await page.mouse.move(0, 0);
  await page.waitForTimeout(500);

  const top = () => page.mouse.wheel(0, -1e6).then(() => page.waitForTimeout(200));
  await top();
  await page.screenshot({ path: `${out}/lab-1366.png` });
  for (const name of VIEWS) {
    await panel
      .getByRole('region', { name })
      .screenshot({ path: `${out}/view-${slug(name)}-1366.png` });
  }
  await page.getByLabel('Theme').selectOption('dark');
  await page.waitForTimeout(300);
  await top();
  await page.screenshot({ path: `${out}/lab-1366-dark.png` });
  await panel.screenshot({ path: `${out}/inside-the-network-1366-dark.png` });
  await page.getByLabel('Theme').selectOption('light');

  await page.setViewportSize({ width: 768, height: 1024 });
  await page.waitForTimeout(500);
  await top();
  await page.screenshot({ path: `${out}/lab-768.png` });

  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.getByRole('button', { name: 'Classroom mode' }).click();
  await page.mouse.move(0, 0);
  await page.waitForTimeout(800);
  await top();
  await page.screenshot({ path: `${out}/classroom-1920.png` });
  for (const name of VIEWS) {
    await panel
      .getByRole('region', { name })
      .screenshot({ path: `${out}/view-${slug(name)}-classroom.png` });
  }

  // An MLP's masks: LeNet-300-100's input pixels on MNIST (one short run).
  const mlp = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  await mlp.goto(
    `${base}#v=2&dataset=mnist&model=lenet300&denseEpochs=1&cycles=2&targetSparsity=0.8`,
  );
  await mlp.getByTestId('backend').filter({ hasText: 'Backend:' }).waitFor({ timeout: 60_000 });
  const mlpPanel = mlp.getByRole('region', { name: 'Inside the network' });
  await mlpPanel
    .getByRole('region', { name: 'Masks' })
    .getByRole('button', { name: 'Masks' })
    .click();
  await mlp.getByRole('button', { name: 'Run all' }).click();
  await mlp.getByTestId('stage').filter({ hasText: 'Done' }).waitFor({ timeout: 900_000 });
  await mlpPanel.getByLabel('the cycle that pruned them').check();
  await mlp.mouse.move(0, 0);
  await mlp.waitForTimeout(500);
  await mlpPanel
    .getByRole('region', { name: 'Masks' })
    .screenshot({ path: `${out}/view-masks-lenet300-1366.png` });
  await browser.close();
}

main().then(
  () => {
    stopServer();
    process.exit(0);
  },
  (error) => {
    console.error(error);
    stopServer();
    process.exit(1);
  },
);
