/**
 * "Inside the network": the weights, the cut, the masks and the layers' sensitivity of the
 * live run, at a state chosen on one slider (dense, cycle 1, ...; by default the latest, so
 * the views follow the run as cycles end). Each view is a collapsible region; a closed one
 * asks the engine for nothing.
 */
import { openedRun } from '../../state/selectors';
import { useApp } from '../store-context';
import { CriterionPreviewChart } from './CriterionPreviewChart';
import { InferenceSpeed } from './InferenceSpeed';
import { InspectSection } from './InspectSection';
import { MaskViews } from './MaskViews';
import { SensitivityChart } from './SensitivityChart';
import { StateChooser } from './StateChooser';
import { WeightMagnitudes } from './WeightMagnitudes';
import './inspect.css';

export function InspectPanel() {
  const opened = useApp((s) => openedRun(s) !== null);
  return (
    <section className="panel inspect-panel" aria-labelledby="inspect-title">
      <h2 id="inspect-title">Inside the network</h2>
      {opened ? (
        <p className="inspect-hint">
          These views show the live experiment: a listed run keeps its results, not its weights.
        </p>
      ) : null}
      <StateChooser />
      <InspectSection
        view="weights"
        title="Weight magnitudes"
        hint="Why a criterion takes more from one layer than another: each layer's |w| and where the prune cut them."
      >
        {() => <WeightMagnitudes />}
      </InspectSection>
      <InspectSection
        view="preview"
        title="Criterion preview"
        hint="What every criterion would prune per layer at the next prune, and the accuracy right after."
      >
        {() => <CriterionPreviewChart />}
      </InspectSection>
      <InspectSection
        view="masks"
        title="Masks"
        hint="What survives, as images: per input pixel, per layer, per convolution kernel."
      >
        {() => <MaskViews />}
      </InspectSection>
      <InspectSection
        view="sensitivity"
        title="Layer sensitivity"
        hint="Which layer can you not prune? Each layer pruned alone, accuracy with no retraining."
      >
        {() => <SensitivityChart />}
      </InspectSection>
      <InferenceSpeed />
    </section>
  );
}
