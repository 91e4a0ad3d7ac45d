import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { wasmThreadsPlugin } from './wasm-threads-plugin';

describe('wasm-threads plugin', () => {
  it("pins the threaded factory's toString() to its pristine source text", async () => {
    const require = createRequire(import.meta.url);
    const id =
      require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js');
    const code = await readFile(id, 'utf8');
    const plugin = wasmThreadsPlugin();
    const transform = plugin.transform as (code: string, id: string) => { code: string } | null;
    const out = transform.call(
      {
        error: (m: string) => {
          throw new Error(m);
        },
      },
      code,
      id,
    )!;
    const pristine = String(runInNewContext(`${code}\n;WasmBackendModuleThreadedSimd`, {}));
    expect(pristine.startsWith('function')).toBe(true);
    // Whatever a minifier later does to the function, toString() returns the pristine text.
    const patched = runInNewContext(
      `${out.code}\n;WasmBackendModuleThreadedSimd`,
      {},
    ) as () => void;
    expect(patched.toString()).toBe(pristine);
    expect(transform.call({}, 'export const x = 1;', '/src/other.ts')).toBeNull();
  });
});
