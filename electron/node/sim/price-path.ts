/**
 * The fair price of an instrument as a function of wall-clock time: a seeded Brownian motion in log
 * price, on a one-second grid from 2000-01-01, built as a dyadic Brownian bridge so any point can be
 * computed directly (31 levels) without walking from the start. Volatility is therefore per unit of
 * time, not per market event: streaming faster samples the same path more often, it does not move it
 * more. The same seed and name give the same path, so live quotes and price history agree and repeat.
 */

const ORIGIN_MS = Date.UTC(2000, 0, 1);
export const PATH_STEP_MS = 1000;
const LEVELS = 31; // 2^31 one-second steps: 2000 to 2068
const TOP = 2 ** LEVELS;
const DAY_STEPS = 86_400_000 / PATH_STEP_MS;

/** murmur3's finaliser: a well-mixed 32-bit value. */
function fmix32(h: number): number {
  let x = h >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** A standard normal draw addressed by (key, level, index): random access, no state. */
export function gaussAt(key: number, level: number, index: number): number {
  const h = fmix32(fmix32(key ^ Math.imul(index >>> 0, 0x9e3779b1)) ^ Math.imul(level + 1, 0x27d4eb2f) ^ Math.floor(index / 4294967296));
  const u1 = (h + 1) / 4294967297;
  const u2 = fmix32(h + 0x6a09e667) / 4294967296;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** A uniform draw in [0, 1) addressed by (key, index). */
export function uniformAt(key: number, index: number): number {
  return fmix32(fmix32(key ^ 0x5bd1e995) ^ Math.imul(index >>> 0, 0x9e3779b1) ^ Math.floor(index / 4294967296)) / 4294967296;
}

export class PricePath {
  private readonly stepSigma: number;
  private readonly root: number;
  /** The last descent, per depth d (interval length 2^(31-d)): start, end and their values. */
  private readonly sa = new Float64Array(LEVELS + 1);
  private readonly sb = new Float64Array(LEVELS + 1);
  private readonly sxa = new Float64Array(LEVELS + 1);
  private readonly sxb = new Float64Array(LEVELS + 1);
  private cell = Number.NaN;
  private x0 = 0;
  private x1 = 0;

  /** `dailySigma`: standard deviation of the log price over 24 hours (0.015 = 1.5 % a day). */
  constructor(
    readonly key: number,
    readonly dailySigma: number,
  ) {
    this.stepSigma = dailySigma / Math.sqrt(DAY_STEPS);
    this.root = this.stepSigma * Math.sqrt(TOP) * gaussAt(key, LEVELS, 0);
    this.sa[0] = 0;
    this.sb[0] = TOP;
    this.sxa[0] = 0;
    this.sxb[0] = this.root;
    this.sa[1] = Number.NaN;
  }

  /**
   * Sets x0, x1 to the offsets at grid points n and n+1 (0 ≤ n < 2^31): descend the bridge from the
   * whole span, resuming from the deepest interval of the previous descent that still holds n, so
   * nearby points (history candles, the live walk) cost a few levels, not 31. `depth` < 31 stops at
   * an interval of 2^(31 - depth) steps (a coarse node of the bridge, exact there).
   */
  private cellAt(n: number, depth = LEVELS): void {
    let d = 0;
    while (d < depth && this.sa[d + 1]! <= n && n < this.sb[d + 1]!) d++;
    let a = this.sa[d]!;
    let b = this.sb[d]!;
    let xa = this.sxa[d]!;
    let xb = this.sxb[d]!;
    for (; d < depth; ) {
      const len = b - a;
      const m = a + len / 2;
      const xm = (xa + xb) / 2 + ((this.stepSigma * Math.sqrt(len)) / 2) * gaussAt(this.key, LEVELS - 1 - d, a / len);
      if (n < m) {
        b = m;
        xb = xm;
      } else {
        a = m;
        xa = xm;
      }
      d++;
      this.sa[d] = a;
      this.sb[d] = b;
      this.sxa[d] = xa;
      this.sxb[d] = xb;
    }
    if (d < LEVELS) this.sa[d + 1] = Number.NaN;
    this.x0 = xa;
    this.x1 = xb;
  }

  /** Log-price offset at `t` (epoch ms), linear between grid points. */
  x(t: number): number {
    const pos = Math.min(TOP - 1e-6, Math.max(0, (t - ORIGIN_MS) / PATH_STEP_MS));
    const n = Math.floor(pos);
    if (n !== this.cell) {
      this.cellAt(n);
      this.cell = n;
    }
    return this.x0 + (this.x1 - this.x0) * (pos - n);
  }

  /**
   * Highest and lowest offset over [from, to]: the ends, and the bridge's nodes at most `stepMs`
   * apart between them. A node is exact and shares its ancestors with the one before, so a year at
   * about weekly nodes costs ~2 draws a node instead of a full descent (the 52-week range of every
   * instrument a REST quote or a first full quote asks for).
   */
  range(from: number, to: number, stepMs: number): { high: number; low: number } {
    const first = this.x(from);
    const end = this.x(to);
    let high = Math.max(first, end);
    let low = Math.min(first, end);
    const depth = Math.max(0, Math.min(LEVELS, LEVELS - Math.floor(Math.log2(Math.max(1, stepMs / PATH_STEP_MS)))));
    const len = 2 ** (LEVELS - depth);
    const last = Math.min(TOP - 1, (to - ORIGIN_MS) / PATH_STEP_MS);
    for (let n = Math.max(0, Math.ceil((from - ORIGIN_MS) / PATH_STEP_MS / len) * len); n < last; n += len) {
      this.cellAt(n, depth);
      if (this.x0 > high) high = this.x0;
      if (this.x0 < low) low = this.x0;
    }
    // x0/x1 now hold a coarse interval: the next x() descends afresh.
    this.cell = Number.NaN;
    return { high, low };
  }
}
