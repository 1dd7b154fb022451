/** Black–Scholes value and greeks, so simulated option quotes move with their underlying like real ones. */

function normCdf(x: number): number {
  // Abramowitz–Stegun 26.2.17, error < 7.5e-8.
  const t = 1 / (1 + 0.2316419 * Math.abs(x));
  const d = 0.3989422804014327 * Math.exp((-x * x) / 2);
  const p = d * t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return x > 0 ? 1 - p : p;
}

const normPdf = (x: number) => 0.3989422804014327 * Math.exp((-x * x) / 2);

export interface OptionValue {
  value: number;
  delta: number;
  gamma: number;
  /** Per calendar day. */
  theta: number;
  /** Per 1 vol point. */
  vega: number;
  /** Per 1 rate point. */
  rho: number;
}

const RATE = 0.045;

export function blackScholes(spot: number, strike: number, years: number, vol: number, putCall: 'C' | 'P'): OptionValue {
  const call = putCall === 'C';
  if (years <= 1e-6 || vol <= 0 || spot <= 0 || strike <= 0) {
    const intrinsic = Math.max(0, call ? spot - strike : strike - spot);
    return { value: intrinsic, delta: intrinsic > 0 ? (call ? 1 : -1) : 0, gamma: 0, theta: 0, vega: 0, rho: 0 };
  }
  const sq = Math.sqrt(years);
  const d1 = (Math.log(spot / strike) + (RATE + (vol * vol) / 2) * years) / (vol * sq);
  const d2 = d1 - vol * sq;
  const disc = Math.exp(-RATE * years);
  const value = call ? spot * normCdf(d1) - strike * disc * normCdf(d2) : strike * disc * normCdf(-d2) - spot * normCdf(-d1);
  const gamma = normPdf(d1) / (spot * vol * sq);
  const vega = (spot * normPdf(d1) * sq) / 100;
  const thetaYear = -(spot * normPdf(d1) * vol) / (2 * sq) + (call ? -RATE * strike * disc * normCdf(d2) : RATE * strike * disc * normCdf(-d2));
  const rho = (call ? strike * years * disc * normCdf(d2) : -strike * years * disc * normCdf(-d2)) / 100;
  return { value: Math.max(0, value), delta: call ? normCdf(d1) : normCdf(d1) - 1, gamma, theta: thetaYear / 365, vega, rho };
}
