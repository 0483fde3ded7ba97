/**
 * Recursive Feature Machine (Radhakrishnan, Beaglehole, Pandit and Belkin, Science 2024): kernel ridge
 * regression with the Mahalanobis Laplace kernel k_M(x, z) = exp(−‖x − z‖_M / L), ‖u‖_M = √(uᵀMu),
 * alternated with M ← AGOP of the fitted predictor. It learns a feature matrix without a network or
 * backpropagation, so it stands in for the "true" AGOP on real-data tasks where none is known.
 *
 * One iteration t = 1 … T, from M_0 = I (or `initialM`):
 *     α_t = (K_{M_{t−1}} + λI)⁻¹ y,   f_t(x) = Σ_j α_tj k_{M_{t−1}}(x, x_j),
 *     M_t = scale · (1/n) Σ_i ∇f_t(x_i) ∇f_t(x_i)ᵀ
 * with the analytic gradient ∇_x k_M(x, z) = −k_M(x, z) · M(x − z) / (L ‖x − z‖_M), whose x = z term
 * (the kernel's kink, a subgradient) is set to zero as in the authors' code. `scale` is d / tr(AGOP) with
 * `mScale: 'trace'` (the default, so tr M = d = tr I and the bandwidth keeps the scale it had at M = I)
 * or 1 with `mScale: 'none'` (the paper's raw AGOP). The alignment of one AGOP does not depend on the
 * scale, but the next kernel does, so the two conventions give different iterates from t = 2 on.
 *
 * Float64 throughout, no Node-only imports. ml-matrix does the Cholesky solve and the eigendecomposition
 * of M (M = BᵀB with B = Λ^½Vᵀ, so distances are Euclidean distances of the points u = Bx and the kernel
 * matrix comes out exactly symmetric, as the Cholesky needs; M must be symmetric positive semidefinite).
 *
 * Cost of one iteration, n training points in d dimensions, r = rank M ≤ d:
 *     O(n³/3) Cholesky + O(n²r) distances and gradient sums + O(nrd + nd²) features and AGOP + O(d³) EVD,
 * peak memory 4 n×n float64 arrays (≈ 128 MB at n = 2000). Measured by
 * `npm run bench -- --only rfm-iteration-n1000-d196`.
 */
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { agopAlignment, agopFromGradients } from './agop';
import { eigSymmetric } from './eigen';
import { rowDots, toFloat64 } from './linalg';

/** Training data: X row-major n×d, targets y (length n); a `Dataset` from tasks.ts or data/ fits. */
export interface RfmData {
  X: ArrayLike<number>;
  y: ArrayLike<number>;
  n: number;
  d: number;
}

/** How M is rescaled after each AGOP: 'trace' → tr M = d (default), 'none' → the raw AGOP. */
export type RfmMScale = 'trace' | 'none';

export interface RfmOptions {
  /** Laplace length scale L > 0, in the units of ‖x − z‖_M (at M = I, of Euclidean distances). */
  bandwidth: number;
  /** Ridge λ ≥ 0 added to the kernel diagonal (kernel entries lie in (0, 1]); 0 interpolates. */
  ridge: number;
  /** Number T ≥ 1 of rounds (one solve and one AGOP each); T = 1 is the plain Laplace-kernel fit at M = I. */
  iterations: number;
  /** Rescaling of each AGOP before it becomes the next M (default 'trace': tr M = d). */
  mScale?: RfmMScale;
  /** Starting M, d×d row-major, symmetric positive semidefinite (default the identity). */
  initialM?: ArrayLike<number>;
  /** A d×d matrix (e.g. the true AGOP); each iteration then records cos(M_t, target). */
  target?: ArrayLike<number>;
}

/** Diagnostics of iteration t (1-based): its fit's training MSE, and its AGOP's trace and alignment. */
export interface RfmIteration {
  iteration: number;
  /** (1/n) Σ_i (f_t(x_i) − y_i)², the fit with kernel M_{t−1} (MSE scale, as the trainMse series). */
  trainMse: number;
  /** tr of the unscaled AGOP of f_t. */
  agopTrace: number;
  /** cos(M_t, target) (agopAlignment: uncentred, scale-invariant), null without a target. */
  alignment: number | null;
}

export interface RfmFit {
  n: number;
  d: number;
  bandwidth: number;
  ridge: number;
  mScale: RfmMScale;
  /** M_T, d×d row-major: the (rescaled) AGOP of `predict` on the training inputs. */
  M: Float64Array;
  /** M_{T−1}, the matrix inside `predict`'s kernel (the identity or initialM when T = 1). */
  kernelM: Float64Array;
  /** α = (K + λI)⁻¹ y of the last fit, one per training point. */
  alphas: Float64Array;
  /** Diagnostics per iteration, in order. */
  history: RfmIteration[];
  /** f(x) = Σ_j α_j k(x, x_j) for each row of X (row-major m×d, m = X.length / d). */
  predict(X: ArrayLike<number>): Float64Array;
  /** ∇f(x) for each row of X (m×d row-major), analytic, with a coincident training point's term set to 0. */
  predictGradients(X: ArrayLike<number>): Float64Array;
}

const KNOWN_OPTIONS = ['bandwidth', 'ridge', 'iterations', 'mScale', 'initialM', 'target'];
/** Eigenvalues of M below this fraction of the largest are dropped from B (below the EVD's own rounding). */
const EIG_KEEP = 1e-13;
/** Asymmetry and negative eigenvalues of M tolerated, relative to its largest entry / eigenvalue. */
const PSD_TOL = 1e-10;
/**
 * Pairs with ‖u_i − u_j‖² ≤ COINCIDENT·(‖u_i‖² + ‖u_j‖²) count as coincident (distance 0): the expansion
 * ‖u_i‖² + ‖u_j‖² − 2u_i·u_j cannot resolve smaller distances (its rounding is ~r·ε times that scale).
 */
const COINCIDENT = 1e-12;
/** Evaluation rows processed at a time by predict and predictGradients, bounding memory at 512·n. */
const EVAL_BLOCK = 512;

/** M ≈ BᵀB with B = Λ^½Vᵀ (r×d row-major) over the eigenvalues above EIG_KEEP·λ_max. */
interface MahalanobisMap {
  B: Float64Array;
  r: number;
}

function checkMatrix(where: string, field: string, M: ArrayLike<number>, d: number): void {
  if (M.length !== d * d) {
    throw new Error(`${where}: ${field} has ${M.length} entries, expected d² = ${d * d} (a d×d row-major matrix)`);
  }
  for (let i = 0; i < M.length; i++) {
    if (!Number.isFinite(M[i])) throw new Error(`${where}: ${field}[${i}] is ${M[i]}; every entry must be finite`);
  }
}

/** Factor a symmetric PSD M (d×d) as BᵀB; throws naming `field` if M is not symmetric PSD. */
function mahalanobisMap(where: string, field: string, M: ArrayLike<number>, d: number): MahalanobisMap {
  checkMatrix(where, field, M, d);
  let maxAbs = 0;
  for (let i = 0; i < M.length; i++) maxAbs = Math.max(maxAbs, Math.abs(M[i]));
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < a; b++) {
      if (Math.abs(M[a * d + b] - M[b * d + a]) > PSD_TOL * maxAbs) {
        throw new Error(
          `${where}: ${field} is not symmetric (entries (${a},${b}) and (${b},${a}) differ); pass (M + Mᵀ)/2`,
        );
      }
    }
  }
  if (maxAbs === 0) return { B: new Float64Array(0), r: 0 }; // M = 0: every distance is 0
  const { values, vectors } = eigSymmetric(M, d);
  const top = values[0];
  if (values[d - 1] < -PSD_TOL * Math.max(top, maxAbs)) {
    throw new Error(
      `${where}: ${field} is not positive semidefinite (smallest eigenvalue ${values[d - 1]}); an AGOP or any BᵀB is`,
    );
  }
  let r = 0;
  while (r < d && values[r] > EIG_KEEP * top) r++;
  const B = new Float64Array(r * d);
  for (let k = 0; k < r; k++) {
    const s = Math.sqrt(values[k]);
    const v = vectors[k];
    for (let a = 0; a < d; a++) B[k * d + a] = s * v[a];
  }
  return { B, r };
}

function transpose(A: Float64Array, rows: number, cols: number): Float64Array {
  const T = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) T[j * rows + i] = A[i * cols + j];
  return T;
}

/** Squared norms of the rows of U (m×r), summed in the same order as rowDots so u·u − ‖u‖² is exactly 0. */
function rowSquaredNorms(U: Float64Array, m: number, r: number): Float64Array {
  const out = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let t = 0; t < r; t++) s += U[i * r + t] * U[i * r + t];
    out[i] = s;
  }
  return out;
}

/** In place: dot products u_i·v_j (na×nb) → distances ‖u_i − v_j‖ (0 for coincident pairs). */
function dotsToDistances(C: Float64Array, normsA: Float64Array, normsB: Float64Array): void {
  const na = normsA.length;
  const nb = normsB.length;
  for (let i = 0; i < na; i++) {
    const ni = normsA[i];
    for (let j = 0; j < nb; j++) {
      const scale = ni + normsB[j];
      const d2 = scale - 2 * C[i * nb + j];
      C[i * nb + j] = d2 <= COINCIDENT * scale ? 0 : Math.sqrt(d2);
    }
  }
}

function laplace(D: Float64Array, bandwidth: number): Float64Array {
  const K = new Float64Array(D.length);
  const s = -1 / bandwidth;
  for (let i = 0; i < D.length; i++) K[i] = Math.exp(s * D[i]);
  return K;
}

/**
 * ∇f at m points from their kernel rows K (m×n) and distances D (m×n) to the training points:
 * ∇f(x_i) = −(1/L) Bᵀ Σ_j w_ij (u_i − u_j), w_ij = α_j K_ij / D_ij (0 where D_ij = 0). Returns m×d.
 */
function gradientsFromKernel(
  K: Float64Array,
  D: Float64Array,
  alphas: Float64Array,
  V: Float64Array,
  UT: Float64Array,
  m: number,
  map: MahalanobisMap,
  d: number,
  bandwidth: number,
): Float64Array {
  const n = alphas.length;
  const { B, r } = map;
  const W = new Float64Array(m * n);
  const rowSum = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) {
      const dist = D[i * n + j];
      if (dist === 0) continue;
      const w = (alphas[j] * K[i * n + j]) / dist;
      W[i * n + j] = w;
      s += w;
    }
    rowSum[i] = s;
  }
  const WU = rowDots(W, m, UT, r, n); // Σ_j w_ij u_j, m×r
  const H = new Float64Array(m * r);
  for (let i = 0; i < m; i++) for (let t = 0; t < r; t++) H[i * r + t] = rowSum[i] * V[i * r + t] - WU[i * r + t];
  const G = rowDots(H, m, transpose(B, r, d), d, r); // H·B: back from u-space to x-space, m×d
  const c = -1 / bandwidth;
  for (let i = 0; i < G.length; i++) G[i] *= c;
  return G;
}

function checkPositive(where: string, field: string, v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw new Error(`${where}: ${field} must be a finite number > 0 (${what}), got ${String(v)}`);
  }
  return v;
}

function checkRows(where: string, field: string, X: ArrayLike<number>, d: number): number {
  if (X == null || typeof X.length !== 'number') throw new Error(`${where}: ${field} must be an array of numbers`);
  if (X.length === 0 || X.length % d !== 0) {
    throw new Error(
      `${where}: ${field} has ${X.length} entries, not a positive multiple of d = ${d} (pass row-major m×d)`,
    );
  }
  for (let i = 0; i < X.length; i++) {
    if (!Number.isFinite(X[i])) throw new Error(`${where}: ${field}[${i}] is ${X[i]}; every entry must be finite`);
  }
  return X.length / d;
}

/** The Mahalanobis Laplace kernel matrix k_M(a_i, b_j) = exp(−‖a_i − b_j‖_M / L) (na×nb, row-major). */
export function laplaceKernelM(
  A: ArrayLike<number>,
  B: ArrayLike<number>,
  d: number,
  M: ArrayLike<number>,
  bandwidth: number,
): Float64Array {
  const where = 'laplaceKernelM';
  if (!Number.isInteger(d) || d <= 0) throw new Error(`${where}: d must be a positive integer, got ${d}`);
  checkPositive(where, 'bandwidth', bandwidth, 'the length scale L');
  const na = checkRows(where, 'A', A, d);
  const nb = checkRows(where, 'B', B, d);
  const map = mahalanobisMap(where, 'M', M, d);
  const UA = rowDots(toFloat64(A), na, map.B, map.r, d);
  const UB = rowDots(toFloat64(B), nb, map.B, map.r, d);
  const D = rowDots(UA, na, UB, nb, map.r);
  dotsToDistances(D, rowSquaredNorms(UA, na, map.r), rowSquaredNorms(UB, nb, map.r));
  return laplace(D, bandwidth);
}

function validateOptions(data: RfmData, options: RfmOptions): Required<Omit<RfmOptions, 'target' | 'initialM'>> {
  const where = 'fitRfm';
  if (options == null || typeof options !== 'object') {
    throw new Error(`${where}: options must be an object { bandwidth, ridge, iterations }`);
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.includes(key)) {
      throw new Error(`${where}: unknown option '${key}' (known: ${KNOWN_OPTIONS.join(', ')})`);
    }
  }
  const bandwidth = checkPositive(where, 'options.bandwidth', options.bandwidth, 'the kernel length scale L, e.g. 10');
  const { ridge, iterations } = options;
  if (typeof ridge !== 'number' || !Number.isFinite(ridge) || ridge < 0) {
    throw new Error(
      `${where}: options.ridge must be a finite number ≥ 0 (λ added to the kernel diagonal, e.g. 1e-3), got ${String(ridge)}`,
    );
  }
  if (typeof iterations !== 'number' || !Number.isInteger(iterations) || iterations < 1) {
    throw new Error(
      `${where}: options.iterations must be an integer ≥ 1 (solve + AGOP rounds; 1 = plain Laplace fit), got ${String(iterations)}`,
    );
  }
  const mScale = options.mScale ?? 'trace';
  if (mScale !== 'trace' && mScale !== 'none') {
    throw new Error(`${where}: options.mScale must be 'trace' (tr M = d) or 'none' (raw AGOP), got ${String(mScale)}`);
  }
  const { n, d } = data;
  if (!Number.isInteger(d) || d <= 0) throw new Error(`${where}: data.d must be a positive integer, got ${d}`);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${where}: data.n must be a positive integer, got ${n}`);
  if (data.X == null || data.X.length !== n * d) {
    throw new Error(
      `${where}: data.X has ${data.X?.length} entries, expected data.n·data.d = ${n}·${d} (row-major n×d)`,
    );
  }
  checkRows(where, 'data.X', data.X, d);
  if (data.y == null || data.y.length !== n) {
    throw new Error(`${where}: data.y has ${data.y?.length} entries, expected data.n = ${n} (one target per row of X)`);
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(data.y[i])) throw new Error(`${where}: data.y[${i}] is ${data.y[i]}; targets must be finite`);
  }
  if (options.target !== undefined) checkMatrix(where, 'options.target', options.target, d);
  return { bandwidth, ridge, iterations, mScale };
}

/** Solve (K + λI) α = y by Cholesky (K symmetric n×n row-major); throws naming the ridge if not PD. */
function ridgeSolve(K: Float64Array, n: number, ridge: number, y: Float64Array, iteration: number): Float64Array {
  const A = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A.set(i, j, K[i * n + j] + (i === j ? ridge : 0));
  const chol = new CholeskyDecomposition(A);
  if (!chol.isPositiveDefinite()) {
    throw new Error(
      `fitRfm: K_M + λI is not positive definite at iteration ${iteration} (ridge = ${ridge}; coincident points under M?); increase options.ridge`,
    );
  }
  const sol = chol.solve(Matrix.columnVector(Array.from(y)));
  return Float64Array.from(sol.getColumn(0));
}

/** Fits an RFM (T rounds of Laplace-kernel ridge regression and M ← AGOP); cost per round in the module doc. */
export function fitRfm(data: RfmData, options: RfmOptions): RfmFit {
  const { bandwidth, ridge, iterations, mScale } = validateOptions(data, options);
  const { n, d } = data;
  const X = toFloat64(data.X);
  const y = toFloat64(data.y);
  let M: Float64Array;
  if (options.initialM !== undefined) {
    M = toFloat64(options.initialM); // checked by the first mahalanobisMap, before any n×n work
  } else {
    M = new Float64Array(d * d);
    for (let a = 0; a < d; a++) M[a * d + a] = 1;
  }
  const target = options.target === undefined ? null : toFloat64(options.target);
  const history: RfmIteration[] = [];
  let kernelM = M;
  let map: MahalanobisMap = { B: new Float64Array(0), r: 0 };
  let U: Float64Array = new Float64Array(0);
  let alphas: Float64Array = new Float64Array(n);
  for (let t = 1; t <= iterations; t++) {
    kernelM = M;
    map = mahalanobisMap('fitRfm', t === 1 ? 'options.initialM' : `M of iteration ${t - 1}`, M, d);
    U = rowDots(X, n, map.B, map.r, d); // u_i = B x_i, n×r
    const D = rowDots(U, n, U, n, map.r, true);
    const norms = new Float64Array(n);
    for (let i = 0; i < n; i++) norms[i] = D[i * n + i]; // the Gram's own diagonal: self-distances exactly 0
    dotsToDistances(D, norms, norms);
    const K = laplace(D, bandwidth);
    alphas = ridgeSolve(K, n, ridge, y, t);
    let sse = 0;
    for (let i = 0; i < n; i++) {
      let f = 0;
      for (let j = 0; j < n; j++) f += K[i * n + j] * alphas[j];
      sse += (f - y[i]) ** 2;
    }
    const grads = gradientsFromKernel(K, D, alphas, U, transpose(U, n, map.r), n, map, d, bandwidth);
    const G = agopFromGradients(grads, n, d);
    let trace = 0;
    for (let a = 0; a < d; a++) trace += G[a * d + a];
    if (mScale === 'trace') {
      if (!(trace > 0)) {
        throw new Error(
          `fitRfm: the AGOP of iteration ${t} is zero (a constant predictor: are all targets equal to 0?), so it cannot be rescaled to trace d; use mScale: 'none'`,
        );
      }
      const s = d / trace;
      for (let i = 0; i < G.length; i++) G[i] *= s;
    }
    history.push({
      iteration: t,
      trainMse: sse / n,
      agopTrace: trace,
      alignment: target === null ? null : agopAlignment(G, target),
    });
    M = G;
  }
  const finalMap = map;
  const finalU = U;
  const finalUT = transpose(U, n, map.r);
  const finalNorms = rowSquaredNorms(U, n, map.r); // bitwise the Gram diagonal the fit used
  const finalAlphas = alphas;

  // Kernel rows and distances of m evaluation points (row-major m×d, validated) to the training
  // points, EVAL_BLOCK rows at a time so memory stays O(EVAL_BLOCK·n) for a large test set.
  const forBlocks = (
    Z: Float64Array,
    m: number,
    use: (K: Float64Array, D: Float64Array, V: Float64Array, mb: number, i0: number) => void,
  ): void => {
    const { B, r } = finalMap;
    for (let i0 = 0; i0 < m; i0 += EVAL_BLOCK) {
      const mb = Math.min(EVAL_BLOCK, m - i0);
      const V = rowDots(Z.subarray(i0 * d, (i0 + mb) * d), mb, B, r, d);
      const D = rowDots(V, mb, finalU, n, r);
      dotsToDistances(D, rowSquaredNorms(V, mb, r), finalNorms);
      use(laplace(D, bandwidth), D, V, mb, i0);
    }
  };

  return {
    n,
    d,
    bandwidth,
    ridge,
    mScale,
    M,
    kernelM,
    alphas: finalAlphas,
    history,
    predict(Z) {
      const m = checkRows('RfmFit.predict', 'X', Z, d);
      const out = new Float64Array(m);
      forBlocks(toFloat64(Z), m, (K, _D, _V, mb, i0) => {
        for (let i = 0; i < mb; i++) {
          let f = 0;
          for (let j = 0; j < n; j++) f += K[i * n + j] * finalAlphas[j];
          out[i0 + i] = f;
        }
      });
      return out;
    },
    predictGradients(Z) {
      const m = checkRows('RfmFit.predictGradients', 'X', Z, d);
      const out = new Float64Array(m * d);
      forBlocks(toFloat64(Z), m, (K, D, V, mb, i0) => {
        out.set(gradientsFromKernel(K, D, finalAlphas, V, finalUT, mb, finalMap, d, bandwidth), i0 * d);
      });
      return out;
    },
  };
}
