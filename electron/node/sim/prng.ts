/** Seeded randomness: the same seed and symbol always give the same market. */
export type Rand = () => number;

/** mulberry32: small, fast, good enough for a market simulation (not for secrets). */
export function mulberry32(seed: number): Rand {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a: a stable 32-bit hash of a symbol, mixed with the seed to seed each instrument. */
export function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/** A generator for one named thing under one simulator seed. */
export function randFor(seed: number, name: string): Rand {
  return mulberry32(hashString(name) ^ Math.imul(seed | 0, 0x9e3779b1));
}

/** An approximately standard-normal draw (Irwin–Hall of 4 uniforms): cheap and bounded. */
export function normal(r: Rand): number {
  return (r() + r() + r() + r() - 2) * 1.7320508;
}

/** An integer in [lo, hi]. */
export function intBetween(r: Rand, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}

export function pick<T>(r: Rand, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)]!;
}
