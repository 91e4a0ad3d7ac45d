/** Page layout: settings on the left, run controls, results and the four live charts. */
import { useEffect } from 'react';
import { AccuracySparsityChart } from './charts/AccuracySparsityChart';
import { LayerSparsityChart } from './charts/LayerSparsityChart';
import { LrScheduleChart } from './charts/LrScheduleChart';
import { TrainingCurveChart } from './charts/TrainingCurveChart';
import { ConfigPanel } from './controls/ConfigPanel';
import { GuidePanel } from './guide/GuidePanel';
import { ShareDialog } from './help/ShareDialog';
import { ShortcutSheet } from './help/ShortcutSheet';
import { ThemeSelect } from './help/ThemeSelect';
import { RunControls } from './controls/RunControls';
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
      <main className="layout">
        <aside>
          <ConfigPanel />
        </aside>
        <div className="main-column">
          <RunControls />
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
          <RunsPanel />
        </div>
      </main>
    </div>
  );
}
