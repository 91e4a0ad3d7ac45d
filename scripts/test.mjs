#!/usr/bin/env node
// `npm test`: everything, from a fresh clone. Installs what is missing (npm packages, Debian's
// Chromium, python3-torch and dataset-fashion-mnist), prepares the data, then runs the gates: type-check, lint,
// format, unit (vitest), end-to-end (Playwright in Chromium, its server on a free port). Runs
// every gate even after a failure, prints one closing line 'tests: N passed, N failed' (a gate
// that failed without a failed test, e.g. an e2e server that did not start, counts as one:
// scripts/test-summary.mjs), and exits non-zero if anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDebianPackage, sh } from './debian-package.mjs';
import { summarize } from './test-summary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function ensureNodeModules() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return true;
  // Exactly the committed lock (it lists every optional per-platform binding, so npm 11 takes it).
  return sh('npm ci --no-audit --no-fund');
}

const ensureChromium = () =>
  ensureDebianPackage(
    'chromium',
    () => existsSync(chromium),
    'Install it (apt-get install chromium) or set CHROMIUM_PATH.',
  );

// The PyTorch export is tested by running the exported script with Debian's native PyTorch.
const python = process.env.PYTHON ?? '/usr/bin/python3';
const ensureTorch = () =>
  ensureDebianPackage(
    'python3-torch',
    () => spawnSync(python, ['-c', 'import torch, numpy'], { stdio: 'ignore' }).status === 0,
    'Install it (apt-get install python3-torch) or set PYTHON to a python with torch.',
  );

// Fashion-MNIST's original IDX files, built into the app and read by the CLI and its tests.
const fashionMnist = '/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz';
const ensureFashionMnist = () =>
  ensureDebianPackage(
    'dataset-fashion-mnist',
    () => existsSync(fashionMnist),
    'Install it (apt-get install dataset-fashion-mnist).',
  );

function count(file, read) {
  try {
    return read(JSON.parse(readFileSync(join(root, file), 'utf8')));
  } catch {
    return null;
  }
}

if (
  !ensureNodeModules() ||
  !ensureChromium() ||
  !ensureTorch() ||
  !ensureFashionMnist() ||
  !sh('node scripts/prepare-data.mjs')
) {
  console.log('\ntests: 0 passed, 1 failed');
  process.exit(1);
}

/** A TCP port nothing listens on now (the OS picks it), for the e2e server. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// The e2e server gets a port of its own, so `npm start` (5173) or `npm run preview` (4173)
// running beside npm test neither blocks it nor is mistaken for it.
const e2ePort = process.env.E2E_PORT ?? String(await freePort());
const gates = [
  ['typecheck', 'npx tsc --noEmit'],
  ['lint', 'npx eslint . --max-warnings 0'],
  ['format', 'npx prettier --check .'],
  ['unit', 'npx vitest run --reporter=default --reporter=json --outputFile.json=reports/unit.json'],
  ['e2e', 'npx playwright test', { E2E_PORT: e2ePort }],
];
// A report left by an earlier run must not be counted as this run's.
for (const file of ['reports/unit.json', 'reports/e2e.json'])
  rmSync(join(root, file), { force: true });
const failedGates = [];
for (const [name, command, env = {}] of gates) {
  if (!sh(command, { CI: process.env.CI ?? '', ...env })) failedGates.push(name);
}

const unit = count('reports/unit.json', (r) => ({
  passed: r.numPassedTests,
  failed: r.numFailedTests,
}));
const e2e = count('reports/e2e.json', (r) => ({
  passed: r.stats.expected + r.stats.flaky,
  failed: r.stats.unexpected,
}));
const summary = summarize(
  gates.map(([name]) => ({ name, ok: !failedGates.includes(name) })),
  { unit, e2e },
);
console.log(
  `\nGates: ${gates.map(([g]) => `${g} ${failedGates.includes(g) ? 'FAILED' : 'ok'}`).join(', ')}`,
);
console.log(
  `unit: ${unit ? `${unit.passed} passed, ${unit.failed} failed` : 'no report'}; e2e: ${e2e ? `${e2e.passed} passed, ${e2e.failed} failed` : 'no report'}`,
);
console.log(summary.line);
process.exit(summary.exitCode);
