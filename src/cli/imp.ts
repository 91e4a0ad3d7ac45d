/**
 * Headless IMP: `npm run imp -- --config <file.json> --out <dir>`.
 * Runs the same engine as the app with the same config schema and writes
 * <dir>/results.json plus the model after dense training and after every cycle
 * (<dir>/models/dense/, <dir>/models/cycle-<j>/, TF.js layers format).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ImpSession } from '../engine/imp-session';
import { modelToFiles, WEIGHTS_FILE } from '../engine/model-io';
import { ConfigError, parseConfig } from '../schema/config';
import { selectNodeBackend } from './node-backend';
import { loadDatasetNode } from './node-data';

const USAGE = 'Usage: npm run imp -- --config <file.json> --out <dir> [--quiet]';

async function saveModel(session: ImpSession, dir: string): Promise<void> {
  const files = await modelToFiles(session.net.model);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'model.json'), files.modelJson);
  await writeFile(join(dir, WEIGHTS_FILE), files.weights);
}

function pct(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      out: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.config || !values.out) {
    console.error(USAGE);
    return 2;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(values.config, 'utf8'));
  } catch (error) {
    console.error(`Cannot read config ${values.config}: ${(error as Error).message}`);
    return 2;
  }
  let config;
  try {
    config = parseConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`${values.config}: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const log = values.quiet ? () => {} : (line: string) => console.log(line);
  const out = values.out;
  const { backend, reason } = await selectNodeBackend(config.backend, config.model);
  log(`backend: ${backend} (${reason})`);
  const data = await loadDatasetNode(config.dataset);
  log(`data: ${data.name}, ${data.train.count} train / ${data.test.count} test images`);
  const session = new ImpSession(config, data, { runtime: 'node' });
  const start = performance.now();
  let results = await session.trainDense();
  await saveModel(session, join(out, 'models', 'dense'));
  log(`dense: test accuracy ${pct(results.dense!.final.testAccuracy)}`);
  while (!session.status.done) {
    results = await session.stepCycle();
    const cycle = results.cycles[results.cycles.length - 1]!;
    await saveModel(session, join(out, 'models', `cycle-${cycle.cycle}`));
    log(
      `cycle ${cycle.cycle}: sparsity ${pct(cycle.sparsity)}, after prune ${pct(cycle.afterPrune.testAccuracy)}` +
        (cycle.afterRetrain ? `, after retrain ${pct(cycle.afterRetrain.testAccuracy)}` : ''),
    );
  }
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  log(`wrote ${join(out, 'results.json')} in ${((performance.now() - start) / 1000).toFixed(1)} s`);
  session.dispose();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    process.exit(1);
  },
);
