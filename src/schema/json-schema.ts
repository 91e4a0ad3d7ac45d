/** JSON Schema documents of the config and results formats, generated from the zod schemas. */
import { z } from 'zod';
import { configSchema } from './config';
import { resultsSchema } from './results';

export function schemaDocuments(): Record<string, unknown> {
  return {
    'config.schema.json': {
      title: 'Pruning Lab experiment config',
      ...z.toJSONSchema(configSchema, { io: 'input' }),
    },
    'results.schema.json': {
      title: 'Pruning Lab results',
      ...z.toJSONSchema(resultsSchema),
    },
  };
}
