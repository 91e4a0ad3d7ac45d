/** The experiment's settings. Locked once a run has started (Reset unlocks them). */
import { useId, useState, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import {
  BACKEND_SETTINGS,
  CRITERIA,
  DATASETS,
  MODELS,
  REGIMES,
  RETRAIN_SCHEDULES,
  REWIND_POINTS,
  configFieldSchemas,
  formatIssues,
  type ExperimentConfig,
} from '../../schema/config';
import { availability, configIssues } from '../../state/selectors';
import { useApp } from '../store-context';
import { LayerOverrides } from './LayerOverrides';

type SelectKey =
  'dataset' | 'model' | 'regime' | 'criterion' | 'retrainSchedule' | 'rewind' | 'backend';
type NumericKey =
  | 'denseEpochs'
  | 'cycles'
  | 'retrainEpochs'
  | 'rewindEpoch'
  | 'gmpEvery'
  | 'lr'
  | 'batchSize'
  | 'seed'
  | 'weightDecay';
type PercentKey = 'targetSparsity' | 'gmpStart' | 'gmpEnd';

/** Models with batch norm, where recalibration after pruning applies. */
const BN_MODELS: readonly string[] = ['resnet8', 'resnet20'];

const LABELS = {
  dataset: { mnist: 'MNIST (60k / 10k)', synthetic: 'Synthetic (tiny, for trying things)' },
  model: {
    lenet300: 'LeNet-300-100 (MLP)',
    lenet5: 'LeNet-5 (CNN)',
    conv4: 'Conv-4 (Lottery Ticket CNN, 1.9M weights, slow)',
    resnet8: 'ResNet-8 (batch norm)',
    resnet20: 'ResNet-20 (batch norm, slow)',
  },
  regime: {
    imp: 'IMP — prune, retrain, repeat',
    gmp: 'GMP — prune gradually while training',
  },
  rewind: {
    none: 'None — retrain from the pruned weights',
    init: 'To initialisation (lottery ticket)',
    epoch: 'To the end of dense epoch k',
  },
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
    allr: "ALLR — linear, start set by the prune's norm drop",
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
  conflict,
}: {
  name: NumericKey | PercentKey;
  label: string;
  value: number;
  scale?: number;
  /** Message for an out-of-range value, in the units the user types. */
  rangeHint?: string;
  step: number;
  disabled: boolean;
  onValid: (value: number) => void;
  /** A problem with this field's value given the others (e.g. rewindEpoch > denseEpochs). */
  conflict?: string | null;
}) {
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const setFieldValid = useApp((s) => s.setFieldValid);
  const shown = text ?? String(Number((value * scale).toPrecision(6)));
  return (
    <Field label={label} error={error ?? conflict}>
      {(id, errorId) => (
        <input
          id={id}
          name={name}
          type="number"
          inputMode="decimal"
          step={step}
          value={shown}
          disabled={disabled}
          aria-invalid={error || conflict ? true : undefined}
          aria-describedby={error || conflict ? errorId : undefined}
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

function CheckboxField({
  label,
  checked,
  disabled,
  onChange,
}: {
  label: string;
  checked: boolean;
  disabled: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <div className="field field-checkbox">
      <label>
        <input
          type="checkbox"
          checked={checked}
          disabled={disabled}
          onChange={(event) => onChange(event.target.checked)}
        />{' '}
        {label}
      </label>
    </div>
  );
}

export function ConfigPanel() {
  const config = useApp(useShallow((s) => s.config));
  const setConfig = useApp((s) => s.setConfig);
  const configure = useApp((s) => s.configure);
  const editable = useApp((s) => availability(s).editConfig);
  const locked = !editable;
  const invalid = useApp((s) => s.invalidFields.length);
  const crossIssues = configIssues(config);
  /** The cross-field issue about `name`, without the field prefix. */
  const conflict = (name: string) =>
    crossIssues.find((i) => i.startsWith(`${name}: `))?.slice(name.length + 2) ?? null;
  const unplaced = crossIssues.filter((i) => !/^(rewindEpoch|gmpEnd): /.test(i));
  const hidden = useApp(useShallow((s) => s.view.hide));
  const lockedByLink = useApp((s) => s.view.lock);
  const number = (name: NumericKey, label: string, step: number) =>
    hidden.includes(name) ? null : (
      <NumberField
        name={name}
        label={label}
        value={config[name]}
        step={step}
        disabled={locked}
        conflict={conflict(name)}
        onValid={(value) => setConfig({ [name]: value })}
      />
    );
  const percent = (name: PercentKey, label: string, rangeHint: string) =>
    hidden.includes(name) ? null : (
      <NumberField
        name={name}
        label={label}
        value={config[name]}
        scale={100}
        rangeHint={rangeHint}
        step={0.1}
        disabled={locked}
        conflict={conflict(name)}
        onValid={(value) => setConfig({ [name]: value })}
      />
    );
  const select = <K extends SelectKey>(
    name: K,
    label: string,
    options: readonly ExperimentConfig[K][],
    afterChange?: () => void,
  ) =>
    hidden.includes(name) ? null : (
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
      {lockedByLink ? (
        <p className="hint">The lecturer's link fixes these settings.</p>
      ) : locked ? (
        <p className="hint">Settings are locked while a run exists. Reset to change them.</p>
      ) : null}
      {invalid > 0 ? <p className="hint">Fix the highlighted setting to run.</p> : null}
      {unplaced.length > 0 ? (
        <p className="field-error" role="alert">
          {unplaced.join(' ')}
        </p>
      ) : null}
      <fieldset disabled={locked}>
        {select('dataset', 'Data set', DATASETS)}
        {/* A new model is built at once so its layers can be overridden. */}
        {select('model', 'Model', MODELS, () => void configure())}
        {select('regime', 'Regime', REGIMES)}
        {percent('targetSparsity', 'Target sparsity (%)', 'Enter a percentage from 0 to 99.9.')}
        {select('criterion', 'Criterion', CRITERIA)}
        {hidden.includes('layerOverrides') ? null : <LayerOverrides />}
        {config.regime === 'imp' ? (
          <>
            {number('cycles', 'Cycles', 1)}
            {number('retrainEpochs', 'Retrain epochs per cycle', 1)}
            {select('retrainSchedule', 'Retrain schedule', RETRAIN_SCHEDULES)}
            {select('rewind', 'Weight rewinding', REWIND_POINTS)}
            {config.rewind === 'epoch' ? number('rewindEpoch', 'Rewind to dense epoch', 1) : null}
            {BN_MODELS.includes(config.model) && !hidden.includes('bnRecalibration') ? (
              <CheckboxField
                label="Recalibrate batch norm after each prune"
                checked={config.bnRecalibration}
                disabled={locked}
                onChange={(bnRecalibration) => setConfig({ bnRecalibration })}
              />
            ) : null}
          </>
        ) : (
          <>
            {percent(
              'gmpStart',
              'GMP starts at (% of training)',
              'Enter a percentage from 0 to 100.',
            )}
            {percent(
              'gmpEnd',
              'GMP reaches target at (% of training)',
              'Enter a percentage from 0 to 100.',
            )}
            {number('gmpEvery', 'GMP prunes every (iterations)', 1)}
          </>
        )}
        {number('denseEpochs', config.regime === 'gmp' ? 'Training epochs' : 'Dense epochs', 1)}
        {number('lr', 'Learning rate (max)', 0.01)}
        {number('batchSize', 'Batch size', 1)}
        {number('weightDecay', 'Weight decay', 0.0001)}
        {number('seed', 'Seed', 1)}
        {select('backend', 'Backend', BACKEND_SETTINGS)}
      </fieldset>
    </form>
  );
}
