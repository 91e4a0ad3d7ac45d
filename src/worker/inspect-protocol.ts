/**
 * What the inspection views ask the engine and what it answers: types only, plain data (the
 * engine's Inspector computes them; src/worker/inspect-host.ts assembles them). Re-exported by
 * protocol.ts, the one module state/ and ui/ read worker types from.
 */
import type { LayerCut } from '../core/inspect';
import type { CriterionId } from '../core/criteria/registry';
import type {
  CriterionPreview,
  LampHistograms,
  MaskSummary,
  SensitivityCurve,
  WeightHistograms,
} from '../engine/inspector';
import type { SensitivityRecord } from '../schema/results';

export type {
  CriterionPreview,
  LampHistograms,
  LayerCut,
  MaskSummary,
  SensitivityCurve,
  SensitivityRecord,
};

/** The summaries a request can ask for, one per view that needs the engine. */
export type InspectPart = 'weights' | 'masks' | 'preview';

export interface InspectRequest {
  /** The state: 0 after dense training, j after cycle j (retrained). */
  cycle: number;
  /** Only what the open views show: a closed view asks for nothing. */
  parts: readonly InspectPart[];
}

/** A prune's cut in every layer, as the results record it (cycles[j - 1].layers). */
export interface PruneCut {
  cycle: number;
  layers: LayerCut[];
}

export interface WeightMagnitudes extends WeightHistograms {
  /** The run's criterion: 'global' cuts at one |w| across all layers, the others per layer. */
  criterion: CriterionId;
  /** The cut of the prune that made this state (cycle j's), null for the dense state. */
  made: PruneCut | null;
  /** The cut of the prune that followed this state (cycle j + 1's), once it has run. */
  next: PruneCut | null;
  /** For a LAMP run: the LAMP scores of the same weights and the cut of LAMP's next prune. */
  lamp?: LampHistograms;
}

export interface MaskView {
  layers: MaskSummary[];
  /** MLP: surviving outgoing weights of each input pixel of the first dense layer. */
  input: { shape: [number, number, number]; counts: number[]; units: number } | null;
  /** The kept states whose masks say which cycle pruned a weight (MaskSummary.prunedIn). */
  labelledBy: number[];
}

export interface PreviewView {
  /** The prune previewed: the one after this state. */
  cycle: number;
  criteria: CriterionPreview[];
}

export interface InspectResult {
  cycle: number;
  /** The states this session keeps, ascending (a resumed run keeps those from its resume on). */
  states: number[];
  weights?: WeightMagnitudes;
  masks?: MaskView;
  preview?: PreviewView;
}
