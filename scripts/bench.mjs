#!/usr/bin/env node
// `npm run bench`: builds the app, serves it like a static host, and in headless Chromium
// 1. times the training step in the app's own worker (bench.html), one JSON line per
//    (backend, model, batch): median samples/s over timed blocks after warm-up, with threads
//    and browser version;
// 2. runs the default classroom experiment (LeNet-5, Fashion-MNIST, 90% in 5 cycles, SLR) with
//    Run all: wall time from the click to "Done", accuracies, backend, and the longest
//    main-thread task seen (PerformanceObserver 'longtask'); then again with every view of
//    "Inside the network" open (--skip-views-run skips it), and after it the Inference speed
//    view (dense against CSR kernels, batch 1 and 128, in the worker) on its last state.
// The page's main thread over the run: its tasks, scripts, style and layout in seconds (mainThread).
// Options: --port N (default: a free one), --timeout S (default 1800), --no-build,
//   --cases LIST (backend:model:batch[:threads],...; default DEFAULT_CASES below),
//   --skip-throughput, --skip-run, --run-link '#v=2&dataset=mnist&model=lenet300' (the default
//   run with a share link's settings on top, e.g. version 1's default), --profile N (after timing, profile N steps kernel by kernel
//   with tf.profile and print the slowest kernels per case),
//   --reference PATH (a PyTorch yardstick such as torch_bench.py, run with /usr/bin/python3;
//   its lines are printed too, with the ratio browser / PyTorch at the same model, batch and CPU
//   threads, the browser's CPU backends only; a GPU backend's ratio beside).
// However it ends, the preview server it started is stopped, and it checks that it is gone.
import { chromium } from '@playwright/test';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    timeout: { type: 'string', default: '1800' },
    'no-build': { type: 'boolean', default: false },
    cases: { type: 'string' },
    'skip-throughput': { type: 'boolean', default: false },
    'skip-run': { type: 'boolean', default: false },
    'skip-views-run': { type: 'boolean', default: false },
    'run-link': { type: 'string' },
    reference: { type: 'string' },
    profile: { type: 'string', default: '0' },
  },
});
/** Backends that train on the CPU, whose thread count is comparable with PyTorch's. */
const CPU_BACKENDS = new Set(['wasm', 'cpu']);

/**
 * backend:model:batch[:threads]. The LeNets (at 28 × 28 × 1) on every backend, and WASM at one
 * thread too; Conv-4 and ResNet-20 (at 32 × 32 × 3, as the yardstick times them) on WASM at one
 * and at all threads (the plain CPU backend and software WebGL would take minutes a case).
 */
const DEFAULT_CASES = [
  ...['wasm', 'cpu', 'webgpu', 'webgl'].flatMap((b) =>
    ['lenet5', 'lenet300'].flatMap((m) => [64, 128].map((n) => `${b}:${m}:${n}`)),
  ),
  ...['lenet5', 'lenet300', 'conv4', 'resnet20'].flatMap((m) =>
    [64, 128].map((n) => `wasm:${m}:${n}:1`),
  ),
  ...['conv4', 'resnet20'].flatMap((m) => [64, 128].map((n) => `wasm:${m}:${n}`)),
];

/** A TCP port nothing listens on now (the OS picks it). */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

const port = values.port ? Number(values.port) : await freePort();
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

if (!values['no-build']) {
  const build = spawnSync('node scripts/prepare-data.mjs && npx vite build --logLevel warn', {
    shell: true,
    stdio: 'inherit',
  });
  if (build.status !== 0) process.exit(1);
}
const server = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort'], {
  stdio: 'ignore',
  detached: true,
});
const serverExited = new Promise((resolve) => server.once('exit', resolve));
/** Stops the server's whole process group (npx and vite) and waits until it has exited. */
async function stopServer() {
  try {
    process.kill(-server.pid);
  } catch {
    /* already gone */
  }
  await serverExited;
}

/** True while a process of the server's group (npx, vite) lives or its port answers HTTP. */
async function serverAlive(url) {
  try {
    process.kill(-server.pid, 0);
    return true;
  } catch {
    /* no process left in the group */
  }
  try {
    await fetch(url);
    return true;
  } catch {
    return false;
  }
}

/** Waits up to `ms` for the server to be gone; true when it is. */
async function serverGone(url, ms = 5000) {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (!(await serverAlive(url))) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !(await serverAlive(url));
}

async function waitForServer(url) {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`preview server did not start on ${url}`);
}

const url = `http://127.0.0.1:${port}/`;

async function main() {
  await waitForServer(url);
  const browser = await chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-quic',
      '--enable-unsafe-webgpu',
    ],
  });
  const browserVersion = `chromium ${browser.version()}`;
  const throughput = [];
  if (!values['skip-throughput']) {
    const cases = values.cases ?? DEFAULT_CASES.join(',');
    const benchPage = await browser.newPage();
    await benchPage.goto(
      `${url}bench.html?cases=${cases}&blocks=5&blockMs=800&profileSteps=${Number(values.profile)}`,
    );
    await benchPage.waitForSelector('body[data-done="true"]', {
      timeout: Number(values.timeout) * 1000,
    });
    for (const line of (await benchPage.locator('#results').textContent()).split('\n')) {
      if (!line.trim()) continue;
      const row = { bench: 'train-throughput', ...JSON.parse(line), browser: browserVersion };
      if (row.bench === 'train-throughput') throughput.push(row);
      console.log(JSON.stringify(row));
    }
    await benchPage.close();
  }
  if (values.reference) {
    // The yardstick times the models, batches and thread counts the browser cases timed.
    const timed = throughput.filter((t) => !t.error);
    const unique = (list) => [...new Set(list)].map(String);
    const ref = spawnSync(
      '/usr/bin/python3',
      [
        values.reference,
        '--seconds',
        '3',
        '--models',
        ...unique(timed.map((t) => t.model)),
        '--batch',
        ...unique(timed.map((t) => t.batch)),
        '--threads',
        ...unique(timed.filter((t) => CPU_BACKENDS.has(t.backend)).map((t) => t.threads)),
      ],
      { encoding: 'utf8' },
    );
    if (ref.status !== 0) console.error(ref.stderr);
    for (const line of ref.stdout.split('\n')) {
      if (!line.trim()) continue;
      const row = JSON.parse(line);
      // Same model, batch and CPU threads: the browser's CPU backends (a GPU backend's
      // "threads" says nothing about its speed); GPU backends are listed beside.
      const same = (t) => t.model === row.model && t.batch === row.batch && !t.error;
      const best = (list) => list.sort((a, b) => b.samples_per_s - a.samples_per_s)[0];
      const ours = best(
        throughput.filter(
          (t) => same(t) && CPU_BACKENDS.has(t.backend) && t.threads === row.threads,
        ),
      );
      const gpu = best(throughput.filter((t) => same(t) && !CPU_BACKENDS.has(t.backend)));
      console.log(
        JSON.stringify({
          bench: 'reference',
          ...row,
          browser_backend: ours?.backend ?? null,
          browser_samples_per_s: ours?.samples_per_s ?? null,
          ratio: ours ? Number((ours.samples_per_s / row.samples_per_s).toFixed(2)) : null,
          ...(gpu && {
            gpu_backend: gpu.backend,
            gpu_samples_per_s: gpu.samples_per_s,
            gpu_ratio: Number((gpu.samples_per_s / row.samples_per_s).toFixed(2)),
          }),
        }),
      );
    }
  }
  if (values['skip-run']) {
    await browser.close();
    return;
  }
  await defaultRun(browser, browserVersion, []);
  if (!values['skip-views-run']) {
    await defaultRun(browser, browserVersion, INSPECT_VIEWS, { inference: true });
  }
  await browser.close();
}

/** The "Inside the network" views the second default run opens (all but Inference speed). */
const INSPECT_VIEWS = ['Weight magnitudes', 'Criterion preview', 'Masks', 'Layer sensitivity'];

/**
 * The default classroom experiment with Run all, with `views` of "Inside the network" open:
 * wall time, accuracies, and the longest main-thread task while it trained.
 */
async function defaultRun(browser, browserVersion, views, options = {}) {
  const page = await browser.newPage();
  await page.addInitScript(() => {
    window.__longestTask = 0;
    window.__longFrames = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        window.__longestTask = Math.max(window.__longestTask, entry.duration);
      }
    }).observe({ type: 'longtask', buffered: true });
    // Long animation frames say which scripts ran in them: the profile of a long task.
    try {
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          if (entry.duration < 50) continue;
          window.__longFrames.push({
            ms: Math.round(entry.duration),
            blockingMs: Math.round(entry.blockingDuration),
            renderMs: Math.round(entry.startTime + entry.duration - entry.renderStart),
            styleAndLayoutMs: Math.round(
              entry.startTime + entry.duration - entry.styleAndLayoutStart,
            ),
            scripts: entry.scripts.map((sc) => ({
              ms: Math.round(sc.duration),
              forcedLayoutMs: Math.round(sc.forcedStyleAndLayoutDuration),
              invoker: sc.invoker,
              fn: sc.sourceFunctionName,
            })),
          });
        }
      }).observe({ type: 'long-animation-frame', buffered: true });
    } catch {
      // not supported by this browser
    }
  });
  const loadStart = Date.now();
  await page.goto(`${url}${values['run-link'] ?? ''}`);
  await page.getByTestId('backend').waitFor({ timeout: 120_000 });
  await page.getByRole('button', { name: 'Run all' }).waitFor();
  await page.waitForFunction(
    () => !document.querySelector('button.primary')?.hasAttribute('disabled'),
  );
  const readyS = (Date.now() - loadStart) / 1000;
  const panel = page.getByRole('region', { name: 'Inside the network' });
  for (const name of views) {
    await panel.getByRole('region', { name }).getByRole('button', { name, exact: true }).click();
  }
  await page.evaluate(() => {
    window.__longestTask = 0;
    window.__longFrames = [];
  });
  // The page's main thread, summed over the run (Chromium's Performance metrics): all its
  // tasks, its scripts, its style and layout. Unlike the longest task, not a matter of load.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = async () =>
    Object.fromEntries(
      (await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]),
    );
  const before = await metrics();
  const start = Date.now();
  await page.getByRole('button', { name: 'Run all' }).click();
  await page
    .getByTestId('stage')
    .filter({ hasText: /^Done/ })
    .waitFor({ timeout: Number(values.timeout) * 1000 });
  const wallS = (Date.now() - start) / 1000;
  const after = await metrics();
  const busy = (key) => Number((after[key] - before[key]).toFixed(2));
  const mainThread = {
    tasksS: busy('TaskDuration'),
    scriptS: busy('ScriptDuration'),
    styleAndLayoutS: Number((busy('RecalcStyleDuration') + busy('LayoutDuration')).toFixed(2)),
  };
  const summary = page.getByRole('table', { name: 'Test accuracy per cycle' });
  // The table renders deferred: wait until it shows the last cycle's retraining.
  await summary.evaluate(
    (t) =>
      new Promise((resolve) => {
        const ready = () => {
          const rows = t.querySelectorAll('tbody tr');
          const last = rows[rows.length - 1]?.querySelectorAll('th,td');
          return rows.length === 6 && last && last[3]?.textContent !== '—';
        };
        const poll = () => (ready() ? resolve(true) : setTimeout(poll, 50));
        poll();
      }),
  );
  const table = await summary.evaluate((t) =>
    Array.from(t.querySelectorAll('tbody tr')).map((tr) =>
      Array.from(tr.querySelectorAll('th,td')).map((c) => c.textContent),
    ),
  );
  const longFrames = await page.evaluate(() =>
    window.__longFrames.sort((a, b) => b.ms - a.ms).slice(0, 3),
  );
  const backend = await page.getByTestId('backend').textContent();
  const longestTaskMs = await page.evaluate(() => window.__longestTask);
  console.log(
    JSON.stringify({
      bench: 'default-imp-run',
      viewsOpen: views,
      config: values['run-link']
        ? `the defaults with the share link ${values['run-link']}`
        : 'lenet5 / fashion-mnist / 90% in 5 cycles / slr / 3 dense + 1 retrain epoch per cycle',
      browser: browserVersion,
      backend: backend?.replace(/\s+/g, ' ').trim(),
      pageReadyS: Number(readyS.toFixed(1)),
      wallS: Number(wallS.toFixed(1)),
      longestMainThreadTaskMs: Math.round(longestTaskMs),
      mainThread,
      longestFrames: longFrames,
      results: table.map(([step, sparsity, afterPrune, afterRetrain]) => ({
        step,
        sparsity,
        afterPrune,
        afterRetrain,
      })),
    }),
  );
  if (options.inference) await inferenceSpeed(page, panel, browserVersion);
  await page.close();
}

/**
 * The Inference speed view on the finished run's last state: dense against CSR kernels at
 * batch 1 and 128 in the app's worker, beside the compression report's theoretical speed-up.
 */
async function inferenceSpeed(page, panel, browserVersion) {
  const model = await page.getByLabel('Model', { exact: true }).inputValue();
  const speed = panel.getByRole('region', { name: 'Inference speed' });
  await speed.getByRole('button', { name: 'Inference speed', exact: true }).click();
  const measure = speed.getByRole('button', { name: /^Measure inference speed/ });
  await measure.click();
  // Done when its bars are drawn (the button is disabled while it measures).
  await speed.locator('rect.plot-bar').first().waitFor({ timeout: 300_000 });
  await measure.and(page.locator(':enabled')).waitFor({ timeout: 300_000 });
  await speed.getByRole('button', { name: 'Table' }).click();
  const table = speed.locator('.chart-table table');
  await table.waitFor();
  const head = await table.locator('thead th').allTextContents();
  const rows = await table
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)),
    );
  for (const r of rows) {
    console.log(
      JSON.stringify({
        bench: 'inference',
        model,
        state: 'after cycle 5 (90% sparse)',
        browser: browserVersion,
        ...Object.fromEntries(
          head.map((h, i) => [h, Number.isFinite(Number(r[i])) ? Number(r[i]) : r[i]]),
        ),
      }),
    );
  }
}

let failed = false;
try {
  await main();
} catch (error) {
  console.error(error);
  failed = true;
} finally {
  await stopServer();
}
// The check that nothing is left running: no process of the server's group, and its port answers
// no more.
if (!(await serverGone(url))) {
  console.error(`bench: the preview server at ${url} is still running after the bench`);
  failed = true;
} else {
  console.log(JSON.stringify({ bench: 'server-stopped', url }));
}
process.exit(failed ? 1 : 0);
