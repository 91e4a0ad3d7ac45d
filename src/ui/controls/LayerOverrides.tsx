/** Per-layer overrides: let the criterion decide, keep a layer dense, or pin its sparsity. */
import { useId } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { fieldLabel } from '../../schema/config';
import { availability, modelLayers } from '../../state/selectors';
import { useApp } from '../store-context';

type Mode = 'criterion' | 'exclude' | 'pin';

function LayerRow({ name, size }: { name: string; size: number }) {
  const id = useId();
  const value = useApp((s) => s.config.layerOverrides[name]);
  const overrides = useApp(useShallow((s) => s.config.layerOverrides));
  const setConfig = useApp((s) => s.setConfig);
  const locked = useApp((s) => !availability(s).editConfig);
  const mode: Mode = value === undefined ? 'criterion' : value === 'exclude' ? 'exclude' : 'pin';
  const set = (next: 'exclude' | number | undefined) => {
    const copy = { ...overrides };
    if (next === undefined) delete copy[name];
    else copy[name] = next;
    setConfig({ layerOverrides: copy });
  };
  return (
    <div className="override-row">
      <label htmlFor={`${id}-mode`}>
        {name} <span className="hint">({size.toLocaleString('en')} weights)</span>
      </label>
      <select
        id={`${id}-mode`}
        value={mode}
        disabled={locked}
        onChange={(e) => {
          const next = e.target.value as Mode;
          set(next === 'criterion' ? undefined : next === 'exclude' ? 'exclude' : 0.9);
        }}
      >
        <option value="criterion">Criterion decides</option>
        <option value="exclude">Exclude (keep dense)</option>
        <option value="pin">Pin sparsity</option>
      </select>
      {typeof value === 'number' ? (
        <span className="pin">
          <input
            type="number"
            aria-label={`${name} pinned sparsity (%)`}
            min={0}
            max={99.9}
            step={0.1}
            disabled={locked}
            defaultValue={Number((100 * value).toPrecision(6))}
            onChange={(e) => {
              const pct = Number(e.target.value);
              if (e.target.value.trim() !== '' && pct >= 0 && pct <= 99.9) set(pct / 100);
            }}
          />
          <span className="hint">% sparse after the last cycle</span>
        </span>
      ) : null}
    </div>
  );
}

/**
 * The override rows of the model's layers. `problems`: why the overrides cannot run as set
 * (they cannot reach the target, or leave the criterion's layers almost nothing), in words.
 */
export function LayerOverrides({ problems = [] }: { problems?: readonly string[] }) {
  const errorId = useId();
  // The layers come from the model registry (no worker needed): they follow the model at once.
  const layers = useApp(useShallow((s) => modelLayers(s.config).map((l) => `${l.name}:${l.size}`)));
  if (layers.length === 0) return null;
  return (
    <fieldset
      className="overrides"
      aria-invalid={problems.length > 0 ? true : undefined}
      aria-describedby={problems.length > 0 ? errorId : undefined}
    >
      <legend>{fieldLabel('layerOverrides')}</legend>
      {layers.map((entry) => {
        const [name, size] = entry.split(':');
        return <LayerRow key={name} name={name!} size={Number(size)} />;
      })}
      {problems.length > 0 ? (
        <p className="field-error" id={errorId} role="alert">
          {problems.join(' ')}
        </p>
      ) : null}
    </fieldset>
  );
}
