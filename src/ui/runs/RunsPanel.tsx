/**
 * The run list: every run of this browser (kept across reloads), imported results files and
 * shared runs. Pin runs to compare them; per run: open it in the main view (read only), name
 * it, share a results link, download JSON or CSV, re-run its settings, remove it. Import a
 * results JSON; a wrong file gets a clear message.
 */
import { useId, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { resultRows, toCsv } from '../../schema/results-table';
import { finalAccuracies, spreadOf } from '../../schema/seed-stats';
import type { Results } from '../../schema/results';
import { pageLinkUrl } from '../../state/page-link';
import { encodeResults } from '../../state/results-link';
import { runName, runOutcome, runSummary } from '../../state/run-labels';
import type { SavedRun } from '../../state/run-archive';
import { liveRunId } from '../../state/runs-slice';
import { DEFAULT_VIEW } from '../../state/view';
import { saveFile } from '../save-file';
import { useApp, useAppStore } from '../store-context';
import { useQueuedValue } from '../use-deferred-results';
import { CompareCharts } from './CompareCharts';

const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(2)}%`);

/**
 * A run's final test accuracy: over several seeds (repeats) the mean ± sample std of the seeds
 * that finished, and how many; else the one run's latest accuracy.
 */
function accuracyCell(results: Results, latest: number | null): string {
  if (results.config.repeats < 2) return pct(latest);
  const s = spreadOf(finalAccuracies(results));
  if (!s) return `${pct(latest)} (seed ${results.config.seed})`;
  const std = s.std === null ? '' : ` ± ${(100 * s.std).toFixed(2)}`;
  return `${pct(s.mean)}${std} (${s.n} of ${results.config.repeats} seeds)`;
}

function fileStem(run: SavedRun): string {
  const c = run.results.config;
  const stamp = run.results.environment.startedAt.replace(/[:.]/g, '-');
  return `pruning-lab-${c.model}-${c.dataset}-${stamp}`;
}

/** The share-results link of `run` on the page at `href`: its settings plus its results. */
export async function shareResultsLink(run: SavedRun, href: string): Promise<string> {
  const results = await encodeResults(run.results);
  const config = run.results.config;
  return pageLinkUrl(href, { config, view: DEFAULT_VIEW, preset: null, results });
}

function stateText(run: SavedRun, live: boolean): string {
  const { complete, cyclesDone } = runOutcome(run.results);
  if (complete) return 'finished';
  if (live) return 'in progress';
  const c = run.results.config;
  return c.regime === 'gmp'
    ? `stopped in epoch ${(run.results.dense?.epochs.length ?? 0) + 1} of ${c.denseEpochs}`
    : `stopped after cycle ${cyclesDone} of ${c.cycles}`;
}

export function RunsPanel() {
  // Deferred: the live run updates the list every epoch; that re-render may wait.
  const runs = useQueuedValue(useApp(useShallow((s) => s.runs)));
  // Pins are read undeferred, so a checkbox follows its click at once.
  const pinnedIds = useApp(useShallow((s) => s.runs.filter((r) => r.pinned).map((r) => r.id)));
  const notice = useApp(useShallow((s) => s.runsNotice));
  const damaged = useApp(useShallow((s) => s.damagedRuns));
  const liveId = useApp((s) =>
    s.results?.dense && s.busy ? liveRunId(s.results) : null,
  );
  const busy = useApp((s) => s.busy !== null);
  const openedId = useApp((s) => s.openedRunId);
  const {
    togglePin,
    removeRun,
    importResultsFile,
    rerun,
    setRunsNotice,
    continueRun,
    openRun,
    renameRun,
  } = useApp(
    useShallow((s) => ({
      continueRun: s.continueRun,
      togglePin: s.togglePin,
      removeRun: s.removeRun,
      importResultsFile: s.importResultsFile,
      rerun: s.rerun,
      setRunsNotice: s.setRunsNotice,
      openRun: s.openRun,
      renameRun: s.renameRun,
    })),
  );
  const [shared, setShared] = useState<{ id: string; link: string } | null>(null);
  /** The run whose name is being edited, and the text so far. */
  const [renaming, setRenaming] = useState<{ id: string; text: string } | null>(null);
  // Compared in the order they ran (the list shows the newest first).
  const pinned = useMemo(() => runs.filter((r) => r.pinned).reverse(), [runs]);
  const importId = useId();

  const store = useAppStore();
  /** A run as the store has it now (the list shows a deferred copy). */
  const latest = (run: SavedRun) => store.getState().runs.find((r) => r.id === run.id) ?? run;
  const share = async (shown: SavedRun) => {
    const run = latest(shown);
    const link = await shareResultsLink(run, window.location.href);
    setShared({ id: run.id, link });
    try {
      await navigator.clipboard.writeText(link);
      setRunsNotice({ kind: 'info', message: 'Results link copied to the clipboard.' });
    } catch {
      setRunsNotice({ kind: 'info', message: 'Copy the results link from the box below.' });
    }
  };

  return (
    <section className="panel runs-panel" id="runs" aria-label="Runs">
      <div className="results-header">
        <h2>Runs</h2>
        <label className="button-like" htmlFor={importId}>
          Import results…
        </label>
        <input
          id={importId}
          className="sr-only"
          type="file"
          accept=".json,application/json"
          aria-label="Import results file"
          onChange={async (event) => {
            const file = event.target.files?.[0];
            event.target.value = '';
            if (file) importResultsFile(file.name, await file.text());
          }}
        />
      </div>
      {notice ? (
        <p
          className={notice.kind === 'error' ? 'field-error' : 'hint'}
          role={notice.kind === 'error' ? 'alert' : 'status'}
        >
          {notice.message}
        </p>
      ) : null}
      {runs.length === 0 && damaged.length === 0 ? (
        <p className="hint">Finished runs appear here, also after a reload. Pin some to compare them.</p>
      ) : (
        <table className="runs-table">
          <caption className="sr-only">Saved runs</caption>
          <thead>
            <tr>
              <th scope="col">Compare</th>
              <th scope="col">Run</th>
              <th scope="col">Sparsity</th>
              <th scope="col">Accuracy</th>
              <th scope="col">State</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => {
              const summary = runName(run);
              const outcome = runOutcome(run.results);
              const editing = renaming?.id === run.id ? renaming : null;
              const saveName = () => {
                if (editing) renameRun(run.id, editing.text);
                setRenaming(null);
              };
              return (
                <tr key={run.id} className={run.id === openedId ? 'opened' : undefined}>
                  <td>
                    <input
                      type="checkbox"
                      checked={pinnedIds.includes(run.id)}
                      aria-label={`Compare ${summary}`}
                      onChange={() => togglePin(run.id)}
                    />
                  </td>
                  <th scope="row">
                    {editing ? (
                      <form
                        className="rename"
                        onSubmit={(event) => {
                          event.preventDefault();
                          saveName();
                        }}
                      >
                        <input
                          aria-label="Run name"
                          value={editing.text}
                          maxLength={200}
                          autoFocus
                          onChange={(e) => setRenaming({ id: run.id, text: e.target.value })}
                          onKeyDown={(e) => {
                            if (e.key === 'Escape') setRenaming(null);
                          }}
                        />
                        <button type="submit">Save name</button>
                      </form>
                    ) : (
                      summary
                    )}
                    <span className="meta">
                      {' '}
                      {run.name ? `· ${runSummary(run.results)} ` : ''}· {run.source}
                      {run.origin ? ` (${run.origin})` : ''} ·{' '}
                      {new Date(run.results.environment.startedAt).toLocaleString()}
                    </span>
                  </th>
                  <td>{pct(outcome.sparsity)}</td>
                  <td>{accuracyCell(run.results, outcome.accuracy)}</td>
                  <td>{stateText(run, run.id === liveId)}</td>
                  <td className="actions">
                    <button
                      type="button"
                      aria-label={`Open ${summary}`}
                      aria-pressed={run.id === openedId}
                      disabled={run.id === liveId}
                      title="Show this run in the charts and tables above, read only"
                      onClick={() => openRun(run.id === openedId ? null : run.id)}
                    >
                      Open
                    </button>
                    <button
                      type="button"
                      aria-label={`Rename ${summary}`}
                      onClick={() => setRenaming({ id: run.id, text: run.name ?? '' })}
                    >
                      Rename
                    </button>
                    <button type="button" onClick={() => void share(run)}>
                      Share
                    </button>
                    <button
                      type="button"
                      onClick={() =>
                        saveFile(
                          `${JSON.stringify(latest(run).results, null, 2)}\n`,
                          `${fileStem(run)}.json`,
                          'application/json',
                        )
                      }
                    >
                      JSON
                    </button>
                    <button
                      type="button"
                      onClick={() =>
                        saveFile(
                          toCsv(resultRows(latest(run).results)),
                          `${fileStem(run)}.csv`,
                          'text/csv',
                        )
                      }
                    >
                      CSV
                    </button>
                    {run.checkpoint && !outcome.complete && run.id !== liveId ? (
                      <button
                        type="button"
                        disabled={busy}
                        aria-label={`Resume ${summary}`}
                        onClick={() => void continueRun(run.id)}
                      >
                        Resume
                      </button>
                    ) : null}
                    <button type="button" disabled={busy} onClick={() => void rerun(run.id)}>
                      Re-run
                    </button>
                    <button
                      type="button"
                      disabled={run.id === liveId}
                      aria-label={`Remove ${summary}`}
                      onClick={() => removeRun(run.id)}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              );
            })}
            {damaged.map((record) => (
              <tr key={record.id} className="damaged">
                <td />
                <th scope="row">
                  Damaged saved run
                  <span className="meta">
                    {' '}
                    · {record.id}
                    {record.savedAt === null
                      ? ''
                      : ` · saved ${new Date(record.savedAt).toLocaleString()}`}
                  </span>
                </th>
                <td>—</td>
                <td>—</td>
                <td>damaged: {record.reason}</td>
                <td className="actions">
                  <button
                    type="button"
                    aria-label={`Remove damaged run ${record.id}`}
                    onClick={() => removeRun(record.id)}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {shared ? (
        <p className="share-link">
          <label>
            Results link{' '}
            <input readOnly value={shared.link} onFocus={(e) => e.currentTarget.select()} />
          </label>
        </p>
      ) : null}
      {pinned.length > 0 ? <CompareCharts runs={pinned} /> : null}
    </section>
  );
}
