/**
 * Poisson random numbers from a uniform source (the project's seeded PRNG), for the Poisson bootstrap.
 * Small means use inversion by sequential search (about λ + 1 uniforms); means of 10 and more use
 * Hörmann's PTRS transformed rejection ("The transformed rejection method for generating Poisson random
 * variables", 1993), the algorithm NumPy uses, at about two uniforms a draw whatever the mean.
 *
 * Hand-written rather than taken from stdlib's generator: that one computes exp and log in JavaScript
 * and was four times slower than the whole Bradley–Terry bootstrap it fed.
 */

/** log Γ(x + 1)… precisely, log(k!) for integer k ≥ 0, via Stirling's series past a small table. */
const LOG_FACTORIAL = (() => {
  const t = new Float64Array(16);
  for (let k = 1; k < 16; k++) t[k] = t[k - 1]! + Math.log(k);
  return t;
})();

export function logFactorial(k: number): number {
  if (k < 16) return LOG_FACTORIAL[k]!;
  const x = k + 1;
  // Stirling's series for log Γ(x): (x − ½)·log x − x + ½·log 2π + 1/(12x) − 1/(360x³) + 1/(1260x⁵)
  const x2 = x * x;
  return (x - 0.5) * Math.log(x) - x + 0.9189385332046728 + (1 / 12 - (1 / 360 - 1 / (1260 * x2)) / x2) / x;
}

/** A Poisson sampler over `random` (uniform in [0, 1)). */
export function poissonSampler(random: () => number): (mean: number) => number {
  return (lam: number): number => {
    if (!(lam >= 0) || !Number.isFinite(lam)) throw new Error(`a Poisson mean must be finite and non-negative (got ${lam})`);
    if (lam === 0) return 0;
    if (lam < 10) {
      // Inversion: walk the CDF until it passes a uniform.
      let k = 0;
      let p = Math.exp(-lam);
      let cdf = p;
      const u = random();
      while (u > cdf) {
        k++;
        p *= lam / k;
        cdf += p;
        if (p < 1e-300 && k > lam) break;
      }
      return k;
    }
    const slam = Math.sqrt(lam);
    const loglam = Math.log(lam);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const U = random() - 0.5;
      const V = random();
      const us = 0.5 - Math.abs(U);
      const k = Math.floor(((2 * a) / us + b) * U + lam + 0.43);
      if (us >= 0.07 && V <= vr) return k;
      if (k < 0 || (us < 0.013 && V > us)) continue;
      if (Math.log(V) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lam + k * loglam - logFactorial(k)) return k;
    }
  };
}
