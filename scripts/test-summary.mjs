// The closing line of `npm test`, worked out from the gates' outcomes and the test reports.
// Pure (no I/O), so scripts/test-summary.test.ts can check it; types in test-summary.d.mts.

/**
 * Tests passed and failed over all gates. A gate with a report (unit, e2e) adds the report's
 * counts; when it failed but its report names no failed test (it could not start: a web server
 * that did not come up, a file that did not load, a global setup that threw) it adds one failure
 * more. A gate without a report counts one failure when it failed (typecheck, lint, format, or a
 * test gate that wrote no report). `reports`: the counts per gate name, where a report was read.
 * The exit code is 0 only when every gate passed, no test failed and some test ran.
 */
export function summarize(gates, reports) {
  let passed = 0;
  let failed = 0;
  for (const gate of gates) {
    const report = reports[gate.name];
    if (report) {
      passed += report.passed;
      failed += report.failed;
      if (!gate.ok && report.failed === 0) failed += 1;
    } else if (!gate.ok) {
      failed += 1;
    }
  }
  const exitCode = gates.every((g) => g.ok) && failed === 0 && passed > 0 ? 0 : 1;
  return { passed, failed, exitCode, line: `tests: ${passed} passed, ${failed} failed` };
}
