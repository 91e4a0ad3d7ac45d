/**
 * Writes docs/config.schema.json and docs/results.schema.json from the zod schemas
 * (`npm run docs:schemas`). A unit test fails when the committed files are out of date.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { schemaDocuments } from '../src/schema/json-schema';

for (const [file, document] of Object.entries(schemaDocuments())) {
  await writeFile(join('docs', file), `${JSON.stringify(document, null, 2)}\n`);
  console.log(`wrote docs/${file}`);
}
