/**
 * Which network state the inspection views show: a slider over the states the run has kept
 * (dense, cycle 1, ...), Play to step through them, Latest to follow the run as it goes.
 */
import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { liveStates, shownInspectCycle } from '../../state/inspect-slice';
import { useApp } from '../store-context';
import { afterState, stateName } from './inspect-draw';

/** Milliseconds each state shows while playing. */
export const PLAY_STEP_MS = 1600;

export function StateChooser() {
  const states = useApp(useShallow((s) => liveStates(s.status, s.inspectFloor)));
  const shown = useApp(shownInspectCycle);
  const following = useApp((s) => s.inspectCycle === null);
  const choose = useApp((s) => s.chooseInspectCycle);
  const [playing, setPlaying] = useState(false);

  const index = shown === null ? 0 : Math.max(0, states.indexOf(shown));
  useEffect(() => {
    if (!playing) return;
    const timer = setTimeout(() => {
      if (index >= states.length - 1) setPlaying(false);
      else choose(states[index + 1]!);
    }, PLAY_STEP_MS);
    return () => clearTimeout(timer);
  }, [playing, index, states, choose]);

  if (states.length === 0 || shown === null) {
    return (
      <p className="inspect-chooser" data-testid="inspect-state">
        Train the dense network to look inside it.
      </p>
    );
  }
  return (
    <div className="inspect-chooser" role="group" aria-label="Network state">
      <label htmlFor="inspect-state-slider">Network state</label>
      <input
        id="inspect-state-slider"
        type="range"
        min={0}
        max={Math.max(0, states.length - 1)}
        step={1}
        value={index}
        disabled={states.length < 2}
        aria-valuetext={afterState(shown)}
        onChange={(e) => {
          setPlaying(false);
          choose(states[Number(e.target.value)]!);
        }}
      />
      <output htmlFor="inspect-state-slider" data-testid="inspect-state">
        {afterState(shown)}
      </output>
      <button
        type="button"
        aria-pressed={playing}
        disabled={states.length < 2}
        onClick={() => {
          if (playing) return setPlaying(false);
          if (index >= states.length - 1) choose(states[0]!);
          setPlaying(true);
        }}
      >
        {playing ? 'Stop' : 'Play'}
      </button>
      <button
        type="button"
        aria-pressed={following}
        onClick={() => {
          setPlaying(false);
          choose(following ? shown : null);
        }}
        title="Follow the run: show each new state as its cycle ends"
      >
        Latest
      </button>
      <span className="inspect-states" aria-hidden="true">
        {states.map(stateName).join(' · ')}
      </span>
    </div>
  );
}
