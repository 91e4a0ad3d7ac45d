/** What the engine reports while it works: plain data only, safe to post across a worker. */
import type { Results } from '../schema/results';

export type Stage = 'untrained' | 'trained' | 'pruned' | 'retrained';
export type Phase = 'load' | 'dense' | 'prune' | 'retrain';

export interface SessionStatus {
  /** untrained: no dense model yet; trained: dense done; pruned/retrained: state of `cycle`. */
  stage: Stage;
  /** Last cycle pruned (0 before the first prune). */
  cycle: number;
  cycles: number;
  /** True once the last cycle is retrained. */
  done: boolean;
}

export interface ProgressEvent {
  type: 'progress';
  phase: Phase;
  cycle: number;
  /** 0..1 through the phase, or null when unknown. */
  fraction: number | null;
  epoch?: number;
  epochs?: number;
  iteration?: number;
  iterations?: number;
  lr?: number;
}

export type EngineEvent =
  ProgressEvent | { type: 'status'; status: SessionStatus } | { type: 'results'; results: Results };

export type EventSink = (event: EngineEvent) => void;
