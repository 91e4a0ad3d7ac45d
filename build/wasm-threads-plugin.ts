/**
 * Vite plugin: keeps tfjs's multi-threaded WASM backend working in a minified bundle.
 *
 * tfjs starts its pthread workers with `wasmFactoryThreadedSimd.toString()` as their script.
 * Minification rewrites that function's text (it then refers to renamed outer names and the
 * workers fail with 'e is not defined'). This plugin evaluates the pristine Emscripten file at
 * build time, takes the factory's original text, and pins `toString()` to it: a string literal
 * that no minifier touches.
 */
import { runInNewContext } from 'node:vm';
import type { Plugin } from 'vite';

const FACTORY_FILE = /tfjs-backend-wasm[\\/]wasm-out[\\/]tfjs-backend-wasm-threaded-simd\.js$/;

export function wasmThreadsPlugin(): Plugin {
  return {
    name: 'pruning-lab:wasm-threads',
    enforce: 'pre',
    transform(code, id) {
      if (!FACTORY_FILE.test(id.split('?')[0]!)) return null;
      const factory = runInNewContext(`${code}\n;WasmBackendModuleThreadedSimd`, {}) as unknown;
      if (typeof factory !== 'function') {
        this.error(
          'tfjs-backend-wasm-threaded-simd.js did not define WasmBackendModuleThreadedSimd',
        );
      }
      const text = JSON.stringify(String(factory));
      return {
        code: `${code}\nWasmBackendModuleThreadedSimd.toString = function () { return ${text}; };\n`,
        map: null,
      };
    },
  };
}
