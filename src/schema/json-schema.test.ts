import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { format, resolveConfig } from 'prettier';
import { CRITERION_IDS } from '../core/criteria/registry';
import { SCHEDULE_IDS } from '../core/schedules/registry';
import { schemaDocuments } from './json-schema';
import { optionsDocument } from './options-doc';

describe('docs/*.schema.json', () => {
  it('match the zod schemas (run `npm run docs:schemas` after changing them)', async () => {
    for (const [file, document] of Object.entries(schemaDocuments())) {
      const committed = JSON.parse(await readFile(join(process.cwd(), 'docs', file), 'utf8'));
      expect(committed, file).toEqual(document);
    }
  });

  it('document every config field with its default', () => {
    const config = schemaDocuments()['config.schema.json'] as {
      properties: Record<string, { default?: unknown; description?: string }>;
    };
    expect(Object.keys(config.properties)).toHaveLength(27);
    expect(config.properties.targetSparsity).toMatchObject({ default: 0.9, maximum: 0.999 });
    for (const [key, property] of Object.entries(config.properties)) {
      expect(property.description, key).toBeTruthy();
      expect(property.default, key).not.toBeUndefined();
    }
  });

  it('docs/options.md documents every registry entry (run `npm run docs:schemas`)', async () => {
    const path = join(process.cwd(), 'docs', 'options.md');
    const config = (await resolveConfig(path)) ?? {};
    const expected = await format(optionsDocument(), { ...config, filepath: path });
    const committed = await readFile(path, 'utf8');
    expect(committed).toBe(expected);
    for (const id of [...CRITERION_IDS, ...SCHEDULE_IDS]) expect(committed).toContain(`\`${id}\``);
  });
});
