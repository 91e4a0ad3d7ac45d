import { createServer, type Server } from 'node:http';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notThisBuild } from '../e2e/server-check';
import { tempDirs } from '../src/test/temp-dirs';

const tempDir = tempDirs();
let served = '';
let server: Server;
let url = '';

beforeAll(async () => {
  server = createServer((_, response) => response.end(served));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function checkout(page: string, sourceAge: 'older' | 'newer') {
  const root = await tempDir('server-check-');
  await mkdir(join(root, 'dist'));
  await mkdir(join(root, 'src'));
  await writeFile(join(root, 'dist', 'index.html'), page);
  await writeFile(join(root, 'src', 'main.tsx'), '');
  await writeFile(join(root, 'src', 'main.test.tsx'), ''); // tests do not make a build stale
  const now = Date.now() / 1000;
  await utimes(join(root, 'dist', 'index.html'), now, now);
  const source = sourceAge === 'older' ? now - 60 : now + 60;
  await utimes(join(root, 'src', 'main.tsx'), source, source);
  await utimes(join(root, 'src', 'main.test.tsx'), now + 60, now + 60);
  return root;
}

describe('notThisBuild (which running server the e2e tests may reuse)', () => {
  it("accepts a server that serves this checkout's current build", async () => {
    served = '<script src="./assets/main-abc.js"></script>';
    expect(await notThisBuild(url, await checkout(served, 'older'))).toBeNull();
  });

  it('refuses another page: a dev server, another checkout, an older build', async () => {
    served = '<script type="module" src="/src/main.tsx"></script>';
    const root = await checkout('<script src="./assets/main-abc.js"></script>', 'older');
    expect(await notThisBuild(url, root)).toMatch(/serves another page than .*dist\/index\.html/);
  });

  it('refuses a build older than a source file', async () => {
    served = '<script src="./assets/main-abc.js"></script>';
    expect(await notThisBuild(url, await checkout(served, 'newer'))).toMatch(
      /the build is older than .*src\/main\.tsx/,
    );
  });

  it('says when nothing answers', async () => {
    const root = await checkout('x', 'older');
    expect(await notThisBuild('http://127.0.0.1:9/', root)).toMatch(/nothing answers/);
  });
});
