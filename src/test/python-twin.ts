/** Tests that run the exported PyTorch script's functions: Debian's python3 and a harness. */

/** The python3 with PyTorch (Debian's python3-torch), or $PYTHON. */
export const python = process.env.PYTHON ?? '/usr/bin/python3';

/**
 * A Python program that imports the script at sys.argv[1] as the module `twin` (without running
 * its main), then runs `body`.
 */
export function twinHarness(body: string): string {
  return [
    'import importlib.util, json, sys',
    'spec = importlib.util.spec_from_file_location("twin", sys.argv[1])',
    'twin = importlib.util.module_from_spec(spec)',
    'spec.loader.exec_module(twin)',
    body.trim(),
    '',
  ].join('\n');
}
