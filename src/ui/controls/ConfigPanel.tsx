/** The experiment's settings. Locked once a run has started (Reset unlocks them). */
import { useId, useState, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import {
  BACKEND_SETTINGS,
  CRITERIA,
  DATASETS,
  MODELS,
  RETRAIN_SCHEDULES,
  configFieldSchemas,
  formatIssues,
  type ExperimentConfig,
} from '../../schema/config';
import { availability } from '../../state/selectors';
import { useApp } from '../store-context';
import { LayerOverrides } from './LayerOverrides';

type SelectKey = 'dataset' | 'model' | 'criterion' | 'retrainSchedule' | 'backend';
type NumericKey =
  'denseEpochs' | 'cycles' | 'retrainEpochs' | 'lr' | 'batchSize' | 'seed' | 'weightDecay';

const LABELS = {
  dataset: { mnist: 'MNIST (60k / 10k)', synthetic: 'Synthetic (tiny, for trying things)' },
  model: { lenet300: 'LeNet-300-100 (MLP)', lenet5: 'LeNet-5 (CNN)' },
  criterion: {
    global: 'Global magnitude',
    uniform: 'Uniform (same sparsity per layer)',
    uniformPlus: 'Uniform+ (first conv dense, last ≤ 80%)',
    erk: 'ERK (Erdős–Rényi-Kernel)',
    lamp: 'LAMP (layer-adaptive scores)',
    random: 'Random (control)',
  },
  retrainSchedule: {
    ft: 'FT — fine-tune at constant lrMin',
    lrw: 'LRW — replay the end of the dense schedule',
    slr: 'SLR — dense schedule, compressed',
    clr: 'CLR — cosine from lrMax',
    llr: 'LLR — linear from lrMax to 0',
  },
  backend: {
    auto: 'Auto (fastest usable)',
    webgpu: 'WebGPU (any adapter, also software)',
    webgl: 'WebGL',
    wasm: 'WASM',
    cpu: 'CPU (plain JavaScript)',
  },
} as const;

function Field({
  label,
  error,
  children,
}: {
  label: string;
  error?: string | null;
  children: (id: string, errorId: string) => ReactNode;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id, errorId)}
      {error ? (
        <p className="field-error" id={errorId} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function NumberField({
  name,
  label,
  value,
  scale = 1,
  rangeHint,
  step,
  disabled,
  onValid,
}: {
  name: NumericKey | 'targetSparsity';
  label: string;
  value: number;
  scale?: number;
  /** Message for an out-of-range value, in the units the user types. */
  rangeHint?: string;
  step: number;
  disabled: boolean;
  onValid: (value: number) => void;
}) {
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const setFieldValid = useApp((s) => s.setFieldValid);
  const shown = text ?? String(Number((value * scale).toPrecision(6)));
  return (
    <Field label={label} error={error}>
      {(id, errorId) => (
        <input
          id={id}
          name={name}
          type="number"
          inputMode="decimal"
          step={step}
          value={shown}
          disabled={disabled}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          onChange={(event) => {
            const raw = event.target.value;
            setText(raw);
            const number = raw.trim() === '' ? Number.NaN : Number(raw) / scale;
            const result = configFieldSchemas[name].safeParse(number);
            setFieldValid(name, result.success);
            if (result.success) {
              setError(null);
              onValid(result.data);
            } else {
              const [issue] = formatIssues(result.error);
              setError(
                Number.isNaN(number)
                  ? 'Enter a number.'
                  : (rangeHint ?? issue?.replace(/^\(config\): /, '') ?? 'Invalid value'),
              );
            }
          }}
          onBlur={() => {
            if (!error) setText(null);
          }}
        />
      )}
    </Field>
  );
}

function SelectField<K extends SelectKey>({
  name,
  label,
  options,
  value,
  disabled,
  onChange,
}: {
  name: K;
  label: string;
  options: readonly ExperimentConfig[K][];
  value: ExperimentConfig[K];
  disabled: boolean;
  onChange: (value: ExperimentConfig[K]) => void;
}) {
  const labels = LABELS[name] as Record<string, string>;
  return (
    <Field label={label}>
      {(id) => (
        <select
          id={id}
          name={name}
          value={value}
          disabled={disabled}
          onChange={(event) => onChange(event.target.value as ExperimentConfig[K])}
        >
          {options.map((option) => (
            <option key={option} value={option}>
              {labels[option] ?? option}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function ConfigPanel() {
  const config = useApp(useShallow((s) => s.config));
  const setConfig = useApp((s) => s.setConfig);
  const configure = useApp((s) => s.configure);
  const editable = useApp((s) => availability(s).editConfig);
  const locked = !editable;
  const invalid = useApp((s) => s.invalidFields.length);
  const number = (name: NumericKey, label: string, step: number) => (
    <NumberField
      name={name}
      label={label}
      value={config[name]}
      step={step}
      disabled={locked}
      onValid={(value) => setConfig({ [name]: value })}
    />
  );
  const select = <K extends SelectKey>(
    name: K,
    label: string,
    options: readonly ExperimentConfig[K][],
    afterChange?: () => void,
  ) => (
    <SelectField
      name={name}
      label={label}
      options={options}
      value={config[name]}
      disabled={locked}
      onChange={(value) => {
        setConfig({ [name]: value });
        afterChange?.();
      }}
    />
  );
  return (
    <form
      className="panel config-panel"
      aria-label="Experiment settings"
      onSubmit={(e) => e.preventDefault()}
    >
      <h2>Experiment</h2>
      {locked ? (
        <p className="hint">Settings are locked while a run exists. Reset to change them.</p>
      ) : null}
      {invalid > 0 ? <p className="hint">Fix the highlighted setting to run.</p> : null}
      <fieldset disabled={locked}>
        {select('dataset', 'Data set', DATASETS)}
        {/* A new model is built at once so its layers can be overridden. */}
        {select('model', 'Model', MODELS, () => void configure())}
        <NumberField
          name="targetSparsity"
          label="Target sparsity (%)"
          value={config.targetSparsity}
          scale={100}
          rangeHint="Enter a percentage from 0 to 99.9."
          step={0.1}
          disabled={locked}
          onValid={(targetSparsity) => setConfig({ targetSparsity })}
        />
        {number('cycles', 'Cycles', 1)}
        {select('criterion', 'Criterion', CRITERIA)}
        <LayerOverrides />
        {number('retrainEpochs', 'Retrain epochs per cycle', 1)}
        {select('retrainSchedule', 'Retrain schedule', RETRAIN_SCHEDULES)}
        {number('denseEpochs', 'Dense epochs', 1)}
        {number('lr', 'Learning rate (max)', 0.01)}
        {number('batchSize', 'Batch size', 1)}
        {number('weightDecay', 'Weight decay', 0.0001)}
        {number('seed', 'Seed', 1)}
        {select('backend', 'Backend', BACKEND_SETTINGS)}
      </fieldset>
    </form>
  );
}
