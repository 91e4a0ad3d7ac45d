/**
 * Over several seeds (`repeats`) a chart shows the mean with a band: ±1 standard deviation, or
 * on demand the whole range from the lowest to the highest seed. The choice, and the note that
 * says what is drawn.
 */
import { useId } from 'react';

export type BandMode = 'std' | 'range';

export function SeedBandNote({
  seeds,
  mode,
  onMode,
  also,
}: {
  /** The most seeds any point has. */
  seeds: number;
  mode: BandMode;
  onMode(mode: BandMode): void;
  /** What else the note says (e.g. which seed the other charts show). */
  also?: string;
}) {
  const id = useId();
  return (
    <>
      <span data-testid="seed-band-note">
        Mean of {seeds} seeds, band{' '}
        {mode === 'std' ? '±1 standard deviation' : 'from the lowest to the highest seed'}.
        {also ? ` ${also}` : ''}
      </span>
      <label htmlFor={id}>
        Band
        <select id={id} value={mode} onChange={(e) => onMode(e.target.value as BandMode)}>
          <option value="std">±1 std</option>
          <option value="range">min–max</option>
        </select>
      </label>
    </>
  );
}
