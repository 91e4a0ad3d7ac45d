/**
 * Playwright global setup: when the e2e run reuses a server that was already running
 * (E2E_REUSE_SERVER=1), makes sure it serves this checkout's current build — its index.html is
 * dist/index.html byte for byte (the asset hashes in it name the build), and no source is newer
 * than that build — so a dev server, another checkout's preview or a stale build is refused
 * with a message instead of being tested. Without reuse, Playwright built and started the server
 * itself just before (playwright.config.ts).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FullConfig } from '@playwright/test';

/** Sources the build is made from; one newer than dist/index.html means the build is stale. */
const SOURCES = ['src', 'public', 'build', 'index.html', 'bench.html', 'vite.config.ts'];

function newestSource(path: string): { path: string; mtimeMs: number } {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return { path, mtimeMs: 0 };
  if (!stat.isDirectory()) return { path, mtimeMs: stat.mtimeMs };
  return readdirSync(path)
    .filter((entry) => !/\.test\.tsx?$/.test(entry)) // tests are not in the build
    .map((entry) => newestSource(join(path, entry)))
    .reduce((a, b) => (b.mtimeMs > a.mtimeMs ? b : a), { path, mtimeMs: 0 });
}

/** Why the server at `baseURL` is not this checkout's current build, or null when it is. */
export async function notThisBuild(baseURL: string, root = '.'): Promise<string | null> {
  const built = join(root, 'dist', 'index.html');
  const local = statSync(built, { throwIfNoEntry: false });
  if (!local) return `there is no build (${built}); run npm run build first`;
  let served: string;
  try {
    served = await (await fetch(new URL('index.html', baseURL))).text();
  } catch (error) {
    return `nothing answers at ${baseURL} (${error instanceof Error ? error.message : error})`;
  }
  if (served !== readFileSync(built, 'utf8')) {
    return `${baseURL} serves another page than ${built} (a dev server, another checkout or an older build)`;
  }
  const newest = SOURCES.map((s) => newestSource(join(root, s))).reduce((a, b) =>
    b.mtimeMs > a.mtimeMs ? b : a,
  );
  if (newest.mtimeMs > local.mtimeMs) {
    return `the build is older than ${newest.path}; run npm run build again`;
  }
  return null;
}

export default async function globalSetup(config: FullConfig): Promise<void> {
  if (process.env.E2E_REUSE_SERVER !== '1') return;
  const baseURL = config.projects[0]?.use.baseURL;
  if (!baseURL) return;
  const why = await notThisBuild(baseURL);
  if (why) {
    throw new Error(
      `E2E_REUSE_SERVER=1, but the server is not this build: ${why}. Stop it, or leave out E2E_REUSE_SERVER to build and serve on E2E_PORT.`,
    );
  }
}
