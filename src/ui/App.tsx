/**
 * Page layout: run controls, settings on the left (or folded into one line), results and the
 * four live charts.
 */
import { useEffect, useState } from 'react';
import { AccuracySparsityChart } from './charts/AccuracySparsityChart';
import { LayerSparsityChart } from './charts/LayerSparsityChart';
import { LrScheduleChart } from './charts/LrScheduleChart';
import { TrainingCurveChart } from './charts/TrainingCurveChart';
import { GuidePanel } from './guide/GuidePanel';
import { InspectPanel } from './inspect/InspectPanel';
import { ShareDialog } from './help/ShareDialog';
import { ShortcutSheet } from './help/ShortcutSheet';
import { ThemeSelect } from './help/ThemeSelect';
import { RunControls } from './controls/RunControls';
import { SettingsPanel } from './controls/SettingsPanel';
import { BackendBadge } from './status/BackendBadge';
import { CompressionReport } from './status/CompressionReport';
import { ErrorBanner } from './status/ErrorBanner';
import { LinkNotice } from './status/LinkNotice';
import { OpenedRunBanner } from './runs/OpenedRunBanner';
import { RunsPanel } from './runs/RunsPanel';
import { ResultsSummary } from './status/ResultsSummary';
import { useApp } from './store-context';

export function App() {
  const configure = useApp((s) => s.configure);
  const classroom = useApp((s) => s.view.classroom);
  const setView = useApp((s) => s.setView);
  // Presentation: the settings fold into one line and the charts take the width.
  const [settingsFolded, setSettingsFolded] = useState(false);
  useEffect(() => {
    void configure();
  }, [configure]);
  return (
    <div className={classroom ? 'app classroom' : 'app'}>
      <header className="app-header">
        <h1>Pruning Lab</h1>
        <p className="tagline">Train, prune by magnitude, retrain — and watch every cycle.</p>
        <BackendBadge />
        <nav className="header-actions" aria-label="Page">
          <ShareDialog />
          <button
            type="button"
            className="link-button"
            aria-pressed={classroom}
            onClick={() => setView({ classroom: !classroom })}
          >
            Classroom mode
          </button>
          <ShortcutSheet />
          <ThemeSelect />
        </nav>
      </header>
      <ErrorBanner />
      <LinkNotice />
      {/* The run buttons come first (in the tab order, and on top on a narrow screen); on a
          wide one the grid puts the settings beside them. */}
      <main className={settingsFolded ? 'layout settings-folded' : 'layout'}>
        <RunControls />
        <aside className="settings">
          <SettingsPanel folded={settingsFolded} onFold={setSettingsFolded} />
        </aside>
        <div className="main-column">
          <GuidePanel />
          <OpenedRunBanner />
          <div className="charts">
            <AccuracySparsityChart />
            <LayerSparsityChart />
            <TrainingCurveChart />
            <LrScheduleChart />
          </div>
          <ResultsSummary />
          <CompressionReport />
          <InspectPanel />
          <RunsPanel />
        </div>
      </main>
    </div>
  );
}
