/** The experiment's settings. Locked once a run has started (Reset unlocks them). */
import { useId, useState, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import {
  BACKEND_SETTINGS,
  CRITERIA,
  DATASETS,
  IMAGE_CHANNELS,
  MODELS,
  REGIMES,
  RETRAIN_SCHEDULES,
  REWIND_POINTS,
  configFieldSchemas,
  configIssueList,
  fieldLabel,
  fieldSentence,
  type ConfigIssue,
  type ExperimentConfig,
} from '../../schema/config';
import { CRITERION_REGISTRY } from '../../core/criteria/registry';
import { FASHION_MNIST_BUILT_IN } from '../../core/built-in';
import { DATASET_REGISTRY, IMAGE_CHANNELS_REGISTRY } from '../../core/datasets';
import { MODEL_REGISTRY } from '../../core/models';
import { BACKEND_REGISTRY, REGIME_REGISTRY, REWIND_REGISTRY } from '../../core/regimes';
import { SCHEDULE_REGISTRY } from '../../core/schedules/registry';
import { availability, configIssues } from '../../state/selectors';
import { useApp } from '../store-context';
import { LayerOverrides } from './LayerOverrides';
import { UserDataFiles } from './UserDataFiles';

type SelectKey =
  | 'dataset'
  | 'imageChannels'
  | 'model'
  | 'regime'
  | 'criterion'
  | 'retrainSchedule'
  | 'rewind'
  | 'backend';
type NumericKey =
  | 'imageSize'
  | 'denseEpochs'
  | 'cycles'
  | 'retrainEpochs'
  | 'rewindEpoch'
  | 'gmpEvery'
  | 'lr'
  | 'batchSize'
  | 'seed'
  | 'repeats'
  | 'weightDecay';
type PercentKey = 'targetSparsity' | 'gmpStart' | 'gmpEnd';

const fashionMnist = DATASET_REGISTRY['fashion-mnist'];

/** Each select's options and labels, from the registries of src/core/ (one definition each). */
const OPTIONS: Record<SelectKey, Record<string, { label: string; description: string }>> = {
  // A build without Fashion-MNIST (src/core/built-in.ts) still offers it, and says so.
  dataset: FASHION_MNIST_BUILT_IN
    ? DATASET_REGISTRY
    : {
        ...DATASET_REGISTRY,
        'fashion-mnist': { ...fashionMnist, label: `${fashionMnist.label}, not in this copy` },
      },
  imageChannels: IMAGE_CHANNELS_REGISTRY,
  model: MODEL_REGISTRY,
  regime: REGIME_REGISTRY,
  criterion: CRITERION_REGISTRY,
  retrainSchedule: SCHEDULE_REGISTRY,
  rewind: REWIND_REGISTRY,
  backend: BACKEND_REGISTRY,
};

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
  title,
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
  /** The setting's name in a sentence ("Dense epochs must be at least 1"). */
  title: string;
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
              const [issue] = configIssueList(result.error, fieldLabel);
              setError(
                Number.isNaN(number)
                  ? 'Enter a number.'
                  : (rangeHint ?? (issue ? fieldSentence(issue, title) : `Check ${title}.`)),
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
  const labels = OPTIONS[name];
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
            <option key={option} value={option} title={labels[option]!.description}>
              {labels[option]!.label}
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
  const editable = useApp((s) => availability(s).editConfig);
  const locked = !editable;
  const invalid = useApp((s) => s.invalidFields.length);
  const crossIssues = configIssues(config);
  /** Issues shown at their own control; the rest are said above the settings. */
  const placed = (i: ConfigIssue) =>
    ['rewindEpoch', 'gmpEnd', 'layerOverrides'].includes(i.key ?? '');
  /** The cross-field issue about `name`, as a sentence naming it `title`. */
  const conflict = (name: string, title: string) => {
    const issue = crossIssues.find((i) => i.path === name);
    return issue ? fieldSentence(issue, title) : null;
  };
  const unplaced = crossIssues.filter((i) => !placed(i)).map((i) => fieldSentence(i));
  const hidden = useApp(useShallow((s) => s.view.hide));
  const lockedByLink = useApp((s) => s.view.lock);
  /** A number control; its label is the setting's (schema title), with a unit if it has one. */
  const number = (
    name: NumericKey,
    step: number,
    { unit, title = fieldLabel(name) }: { unit?: string; title?: string } = {},
  ) =>
    hidden.includes(name) ? null : (
      <NumberField
        name={name}
        label={unit ? `${title} ${unit}` : title}
        title={title}
        value={config[name]}
        step={step}
        disabled={locked}
        conflict={conflict(name, title)}
        onValid={(value) => setConfig({ [name]: value })}
      />
    );
  const percent = (name: PercentKey, unit: string, rangeHint: string) =>
    hidden.includes(name) ? null : (
      <NumberField
        name={name}
        label={`${fieldLabel(name)} ${unit}`}
        title={fieldLabel(name)}
        value={config[name]}
        scale={100}
        rangeHint={rangeHint}
        step={0.1}
        disabled={locked}
        conflict={conflict(name, fieldLabel(name))}
        onValid={(value) => setConfig({ [name]: value })}
      />
    );
  const select = <K extends SelectKey>(
    name: K,
    options: readonly ExperimentConfig[K][],
    afterChange?: () => void,
  ) =>
    hidden.includes(name) ? null : (
      <SelectField
        name={name}
        label={fieldLabel(name)}
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
        {select('dataset', DATASETS)}
        {hidden.includes('dataset') ? null : <UserDataFiles />}
        {DATASET_REGISTRY[config.dataset].augments && !hidden.includes('augment') ? (
          <CheckboxField
            label={fieldLabel('augment')}
            checked={config.augment}
            disabled={locked}
            onChange={(augment) => setConfig({ augment })}
          />
        ) : null}
        {/* Your images: resized to a square of this side, grey or RGB, when a run reads them. */}
        {DATASET_REGISTRY[config.dataset].resized ? (
          <>
            {number('imageSize', 1, { unit: '(pixels)' })}
            {select('imageChannels', IMAGE_CHANNELS)}
          </>
        ) : null}
        {/* A new model is built at once so its layers can be overridden. */}
        {select('model', MODELS)}
        {select('regime', REGIMES)}
        {percent('targetSparsity', '(%)', 'Enter a percentage from 0 to 99.9.')}
        {select('criterion', CRITERIA)}
        {hidden.includes('layerOverrides') ? null : (
          <LayerOverrides
            problems={crossIssues
              .filter((i) => i.key === 'layerOverrides')
              .map((i) => fieldSentence(i))}
          />
        )}
        {config.regime === 'imp' ? (
          <>
            {number('cycles', 1)}
            {number('retrainEpochs', 1)}
            {select('retrainSchedule', RETRAIN_SCHEDULES)}
            {select('rewind', REWIND_POINTS)}
            {config.rewind === 'epoch' ? number('rewindEpoch', 1) : null}
            {MODEL_REGISTRY[config.model].batchNorm && !hidden.includes('bnRecalibration') ? (
              <CheckboxField
                label={fieldLabel('bnRecalibration')}
                checked={config.bnRecalibration}
                disabled={locked}
                onChange={(bnRecalibration) => setConfig({ bnRecalibration })}
              />
            ) : null}
          </>
        ) : (
          <>
            {percent('gmpStart', '(% of training)', 'Enter a percentage from 0 to 100.')}
            {percent('gmpEnd', '(% of training)', 'Enter a percentage from 0 to 100.')}
            {number('gmpEvery', 1, { unit: '(iterations)' })}
          </>
        )}
        {/* Under GMP the one training run is the pruning run: its epochs are not "dense". */}
        {number('denseEpochs', 1, config.regime === 'gmp' ? { title: 'Training epochs' } : {})}
        {number('lr', 0.01)}
        {number('batchSize', 1)}
        {number('weightDecay', 0.0001)}
        {number('seed', 1)}
        {number('repeats', 1, { unit: '(runs)' })}
        {select('backend', BACKEND_SETTINGS)}
      </fieldset>
    </form>
  );
}
