/**
 * The settings, or, folded for a presentation, one line that says them ("LeNet-300-100 ·
 * MNIST · 90% in 5 cycles · SLR") and gives the width to the charts.
 */
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../store-context';
import { ConfigPanel } from './ConfigPanel';
import { settingsSummary } from './settings-summary';

export function SettingsPanel({
  folded,
  onFold,
}: {
  folded: boolean;
  onFold: (folded: boolean) => void;
}) {
  const config = useApp(useShallow((s) => s.config));
  if (folded)
    return (
      <section className="panel settings-summary" aria-label="Experiment settings, folded">
        <p>
          <strong>Experiment:</strong>{' '}
          <span data-testid="settings-summary">{settingsSummary(config)}</span>
        </p>
        <button type="button" aria-expanded={false} onClick={() => onFold(false)}>
          Show settings
        </button>
      </section>
    );
  return (
    <div className="settings-unfolded">
      <button
        type="button"
        className="fold-toggle"
        aria-expanded={true}
        onClick={() => onFold(true)}
      >
        Hide settings
      </button>
      <ConfigPanel />
    </div>
  );
}
