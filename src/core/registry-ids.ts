/**
 * The ids of a registry (an object whose keys are the ids and whose entries repeat them), in
 * order, as the non-empty tuple zod's `z.enum` takes. Throws when an entry's `id` differs from
 * its key, so a copied entry cannot go unnoticed.
 */
export function registryIds<R extends Record<string, { id: string }>>(
  registry: R,
): [keyof R & string, ...(keyof R & string)[]] {
  const ids = Object.keys(registry) as (keyof R & string)[];
  for (const id of ids) {
    if (registry[id]!.id !== id) {
      throw new Error(`registry entry "${id}" has id "${registry[id]!.id}"`);
    }
  }
  if (ids.length === 0) throw new Error('a registry needs at least one entry');
  return ids as [keyof R & string, ...(keyof R & string)[]];
}
