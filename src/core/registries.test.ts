/**
 * Every registry entry is complete: its id is its key, and it has the words the UI and the
 * docs show (label, description; criteria and schedules also a formula and a source). The
 * implementations are typed against the registries (engine/models.ts, the data loaders, the
 * config schema's enums), the docs table is checked in src/schema/json-schema.test.ts and the
 * Python twin in src/export/pytorch-parity.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { CRITERION_REGISTRY } from './criteria/registry';
import { DATASET_REGISTRY } from './datasets';
import { MODEL_REGISTRY } from './models';
import { BACKEND_REGISTRY, REGIME_REGISTRY, REWIND_REGISTRY } from './regimes';
import { registryIds } from './registry-ids';
import { SCHEDULE_REGISTRY } from './schedules/registry';

const REGISTRIES = {
  criterion: CRITERION_REGISTRY,
  retrainSchedule: SCHEDULE_REGISTRY,
  model: MODEL_REGISTRY,
  dataset: DATASET_REGISTRY,
  regime: REGIME_REGISTRY,
  rewind: REWIND_REGISTRY,
  backend: BACKEND_REGISTRY,
};

describe('option registries', () => {
  for (const [kind, registry] of Object.entries(REGISTRIES)) {
    it(`${kind}: every entry has its id, a label and a description`, () => {
      const entries = Object.entries(registry as Record<string, { id: string }>);
      expect(entries.length).toBeGreaterThan(0);
      for (const [key, entry] of entries) {
        const e = entry as { id: string; label: string; description: string };
        expect(e.id, kind).toBe(key);
        expect(e.label.trim(), `${kind} ${key} label`).not.toBe('');
        expect(e.description.trim(), `${kind} ${key} description`).not.toBe('');
      }
    });
  }

  it('criteria and schedules say their formula and source', () => {
    for (const entry of [
      ...Object.values(CRITERION_REGISTRY),
      ...Object.values(SCHEDULE_REGISTRY),
    ]) {
      expect(entry.formula.trim(), entry.id).not.toBe('');
      expect(entry.source.trim(), entry.id).not.toBe('');
    }
  });

  it('refuses an entry filed under another id', () => {
    expect(() => registryIds({ a: { id: 'a' }, b: { id: 'a' } })).toThrow(/"b" has id "a"/);
    expect(registryIds({ a: { id: 'a' }, b: { id: 'b' } })).toEqual(['a', 'b']);
  });

  it('labels are distinct within each kind (a select shows them side by side)', () => {
    for (const [kind, registry] of Object.entries(REGISTRIES)) {
      const labels = Object.values(registry as Record<string, { label: string }>).map(
        (e) => e.label,
      );
      expect(new Set(labels).size, kind).toBe(labels.length);
    }
  });
});
