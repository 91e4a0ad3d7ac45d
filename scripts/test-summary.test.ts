import { describe, expect, it } from 'vitest';
import { summarize } from './test-summary.mjs';

const gates = (failed: string[] = []) =>
  ['typecheck', 'lint', 'format', 'unit', 'e2e'].map((name) => ({
    name,
    ok: !failed.includes(name),
  }));

describe('summarize (the closing line of npm test)', () => {
  it('adds the counts of both reports when every gate passed', () => {
    const summary = summarize(gates(), {
      unit: { passed: 150, failed: 0 },
      e2e: { passed: 38, failed: 0 },
    });
    expect(summary.line).toBe('tests: 188 passed, 0 failed');
    expect(summary.exitCode).toBe(0);
  });

  it('counts an e2e gate that could not start its server as one failed test', () => {
    // Playwright writes a report with no test run when its web server does not come up.
    const summary = summarize(gates(['e2e']), {
      unit: { passed: 188, failed: 0 },
      e2e: { passed: 0, failed: 0 },
    });
    expect(summary.line).toBe('tests: 188 passed, 1 failed');
    expect(summary.exitCode).toBe(1);
  });

  it('counts a test gate without a report, and each failed gate without counts, once', () => {
    const summary = summarize(gates(['lint', 'unit']), { e2e: { passed: 38, failed: 0 } });
    expect(summary.line).toBe('tests: 38 passed, 2 failed');
    expect(summary.exitCode).toBe(1);
  });

  it('takes the failed tests of a report as they are (no extra failure)', () => {
    const summary = summarize(gates(['unit']), {
      unit: { passed: 186, failed: 2 },
      e2e: { passed: 38, failed: 0 },
    });
    expect(summary.line).toBe('tests: 224 passed, 2 failed');
  });

  it('fails a run in which no test ran', () => {
    expect(summarize(gates(), {}).exitCode).toBe(1);
  });
});
