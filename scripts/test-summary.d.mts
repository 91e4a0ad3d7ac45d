// Types of scripts/test-summary.mjs (plain JavaScript, run by node without a build step).
export interface GateOutcome {
  name: string;
  ok: boolean;
}
export interface Counts {
  passed: number;
  failed: number;
}
export function summarize(
  gates: GateOutcome[],
  reports: Record<string, Counts | null | undefined>,
): { passed: number; failed: number; exitCode: number; line: string };
