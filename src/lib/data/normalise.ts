/**
 * Per-image input normalisation shared by the real-image datasets, so real inputs sit at the scale
 * of the synthetic tasks' x ~ N(0, I_d) (‖x‖² ≈ d) that the NTK-parameterised models expect.
 */

/** 'sqrt-d': ‖x‖ = √d (mean squared pixel 1); 'unit': ‖x‖ = 1; 'none': pixels in [0, 1] as they are. */
export type ImageNorm = 'sqrt-d' | 'unit' | 'none';

/**
 * In place on n images of d pixels (row-major, already in [0, 1]): optionally subtract each image's
 * mean pixel (`center`), then rescale each image to the norm `norm` asks for. A constant image that
 * centring makes zero is left at zero.
 */
export function normaliseImages(X: Float32Array, n: number, d: number, norm: ImageNorm, center: boolean): void {
  if (norm !== 'sqrt-d' && norm !== 'unit' && norm !== 'none') {
    throw new Error(`normaliseImages: norm must be 'sqrt-d', 'unit' or 'none', got '${String(norm)}'`);
  }
  const target = norm === 'sqrt-d' ? Math.sqrt(d) : 1;
  for (let i = 0; i < n; i++) {
    const row = X.subarray(i * d, (i + 1) * d);
    if (center) {
      let mean = 0;
      for (let a = 0; a < d; a++) mean += row[a];
      mean /= d;
      for (let a = 0; a < d; a++) row[a] -= mean;
    }
    if (norm === 'none') continue;
    let s = 0;
    for (let a = 0; a < d; a++) s += row[a] * row[a];
    if (s === 0) continue;
    const k = target / Math.sqrt(s);
    for (let a = 0; a < d; a++) row[a] *= k;
  }
}

/** Scalar label scheme for k classes: 'pm1' (two classes: first +1, second −1) or 'ordinal'. */
export type LabelScheme = 'pm1' | 'ordinal';

/** Ordinal target of class position c among k classes: −1 + 2c/(k−1), evenly spaced in [−1, 1]. */
export function ordinalLabel(c: number, k: number): number {
  return k === 1 ? 0 : -1 + (2 * c) / (k - 1);
}
