/**
 * Seeded random numbers. Every consumer gets an explicit generator; nothing touches Math.random.
 * Uses seedrandom's Alea (the generator tfjs itself uses for seeded ops).
 */
import seedrandom from 'seedrandom';

/** A generator of uniform floats in [0, 1). */
export type Rng = () => number;

/** Returns a deterministic generator for `seed` (same seed -> same sequence). */
export function makeRng(seed: number | string): Rng {
  const prng = seedrandom.alea(String(seed));
  return () => prng.quick();
}

/** Derives a child seed (a 31-bit integer) from a parent seed and a label, deterministically. */
export function deriveSeed(seed: number, label: string): number {
  const rng = makeRng(`${seed}:${label}`);
  return Math.floor(rng() * 2 ** 31);
}

/** Uniform integer in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** In-place Fisher–Yates shuffle: every permutation equally likely under a uniform rng. */
export function shuffleInPlace<T extends { length: number; [i: number]: number }>(
  array: T,
  rng: Rng,
): T {
  for (let i = array.length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    const tmp = array[i]!;
    array[i] = array[j]!;
    array[j] = tmp;
  }
  return array;
}

/** The permutation 0..n-1 in a seeded random order. */
export function permutation(n: number, rng: Rng): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return shuffleInPlace(order, rng);
}
