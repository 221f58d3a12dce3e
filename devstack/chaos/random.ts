// The fault run's only source of randomness: a seeded mulberry32, forked into independent streams (one for
// the fault schedule, one per order) so that timing, which decides how many draws each stream makes
// before another, never changes what a given stream decides. Same seed, same decisions.
import { mulberry32 } from '../../core/seeded-random.js';

/**
 * FNV-1a over the label, mixed with the parent seed, then murmur3's finaliser: a stable seed per named
 * stream. (Without the finaliser, labels differing in their last character give seeds whose first draws
 * are nearly equal.)
 */
function derive(seed: number, label: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < label.length; i += 1) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export interface Random {
  readonly seed: number;
  /** In [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** A number in [min, max). */
  between(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** One of the choices, with probability proportional to its weight. */
  weighted<T>(choices: ReadonlyArray<readonly [T, number]>): T;
  /** An independent stream named `label`; forking never consumes draws of this stream. */
  fork(label: string): Random;
}

export function createRandom(seed: number): Random {
  const next = mulberry32(seed);
  const random: Random = {
    seed,
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    between: (min, max) => min + next() * (max - min),
    chance: (probability) => next() < probability,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    weighted(choices) {
      const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
      let r = next() * total;
      for (const [choice, weight] of choices) {
        r -= weight;
        if (r < 0) return choice;
      }
      return choices[choices.length - 1]![0];
    },
    fork: (label) => createRandom(derive(seed, label)),
  };
  return random;
}
