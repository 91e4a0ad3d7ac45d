/**
 * Writes docs/config.schema.json and docs/results.schema.json from the zod schemas and
 * docs/options.md from the registries (`npm run docs:schemas`). A unit test fails when the
 * committed files are out of date.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { schemaDocuments } from '../src/schema/json-schema';
import { optionsDocument } from '../src/schema/options-doc';

for (const [file, document] of Object.entries(schemaDocuments())) {
  await writeFile(join('docs', file), `${JSON.stringify(document, null, 2)}\n`);
  console.log(`wrote docs/${file}`);
}
const options = join('docs', 'options.md');
const config = (await resolveConfig(options)) ?? {};
await writeFile(options, await format(optionsDocument(), { ...config, filepath: options }));
console.log(`wrote ${options}`);
