/**
 * Synthetic tasks of the papers: low-rank polynomial regression on Gaussian inputs (chapter 3,
 * AGOP) and the 1-D two-Gaussian mixture of the quadratic-model paper (chapter 1).
 * Inputs x ~ N(0, I_d); the true AGOP E[∇f*(x)∇f*(x)ᵀ] has a closed form for each task.
 */
import type { Dataset } from './models/model';
import type { Prng } from './prng';

/** A regression target f* on x ~ N(0, I_d), with closed-form gradient and population AGOP. */
export interface Task {
  readonly id: string;
  /** Input dimension d. */
  readonly d: number;
  /** f*(x) for one input x (length d). */
  f(x: ArrayLike<number>): number;
  /** ∇f*(x), length d, float64. */
  grad(x: ArrayLike<number>): Float64Array;
  /** E_x[∇f*(x)∇f*(x)ᵀ] under x ~ N(0, I_d), d×d row-major float64. */
  populationAgop(): Float64Array;
}

/** Default input dimension of the regression tasks (docs/conventions.md#tasks-and-data: x ~ N(0, I_100)). */
const DEFAULT_TASK_DIM = 100;

function checkDim(fn: string, d: number, min: number): void {
  if (!Number.isInteger(d) || d < min) throw new Error(`${fn}: d must be an integer ≥ ${min}, got ${d}`);
}

function checkInput(id: string, x: ArrayLike<number>, d: number): void {
  if (x.length !== d) throw new Error(`${id}: x has length ${x.length}, expected d = ${d}`);
}

function diagonal(d: number, diag: number[]): Float64Array {
  const G = new Float64Array(d * d);
  diag.forEach((v, i) => (G[i * d + i] = v));
  return G;
}

/** f*(x) = x1·x2 on N(0, I_d); true AGOP = diag(1, 1, 0, …, 0). */
export function rank2Task(d: number = DEFAULT_TASK_DIM): Task {
  checkDim('rank2Task', d, 2);
  return {
    id: 'rank2',
    d,
    f(x) {
      checkInput('rank2.f', x, d);
      return x[0] * x[1];
    },
    grad(x) {
      checkInput('rank2.grad', x, d);
      const g = new Float64Array(d);
      g[0] = x[1];
      g[1] = x[0];
      return g;
    },
    populationAgop: () => diagonal(d, [1, 1]),
  };
}

/**
 * f*(x) = x1 + x1x2 + x1x2x3 + x1x2x3x4 on N(0, I_d); true AGOP = diag(4, 3, 2, 1, 0, …, 0):
 * ∂1 f* = 1 + x2 + x2x3 + x2x3x4 is a sum of 4 orthonormal monomials, so E[(∂1 f*)²] = 4, and so
 * on down to ∂4 f* = x1x2x3; every off-diagonal product has an odd power of some x_i, mean 0.
 */
export function rank4Task(d: number = DEFAULT_TASK_DIM): Task {
  checkDim('rank4Task', d, 4);
  return {
    id: 'rank4',
    d,
    f(x) {
      checkInput('rank4.f', x, d);
      const p1 = x[0];
      const p2 = p1 * x[1];
      const p3 = p2 * x[2];
      return p1 + p2 + p3 + p3 * x[3];
    },
    grad(x) {
      checkInput('rank4.grad', x, d);
      const [a, b, c, e] = [x[0], x[1], x[2], x[3]];
      const g = new Float64Array(d);
      g[0] = 1 + b + b * c + b * c * e;
      g[1] = a + a * c + a * c * e;
      g[2] = a * b + a * b * e;
      g[3] = a * b * c;
      return g;
    },
    populationAgop: () => diagonal(d, [4, 3, 2, 1]),
  };
}

/** The regression task with this id ('rank2' | 'rank4'). */
export function taskById(id: string, d: number = DEFAULT_TASK_DIM): Task {
  if (id === 'rank2') return rank2Task(d);
  if (id === 'rank4') return rank4Task(d);
  throw new Error(`taskById: unknown task id '${id}' (use 'rank2' or 'rank4')`);
}

/** n samples x_i ~ N(0, I_d) drawn row by row from `prng`, with noiseless targets y_i = f*(x_i). */
export function sampleTask(task: Task, n: number, prng: Prng): Dataset {
  if (!Number.isInteger(n) || n <= 0) throw new Error(`sampleTask: n must be a positive integer, got ${n}`);
  const d = task.d;
  const X = prng.normalArray(n * d);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = task.f(X.subarray(i * d, (i + 1) * d));
  return { n, d, X, y };
}

/** The 1-D two-Gaussian mixture of the quadratic-model paper: means ±2, unit variance, labels ±1. */
const twoGaussianTask = { id: 'two-gaussians', d: 1, mean: 2, std: 1 } as const;

/**
 * n points of the two-Gaussian mixture, exactly balanced: even rows have label +1 and
 * x ~ N(+2, 1), odd rows label −1 and x ~ N(−2, 1). n must be even.
 */
export function sampleTwoGaussians(n: number, prng: Prng): Dataset {
  if (!Number.isInteger(n) || n <= 0 || n % 2 !== 0) {
    throw new Error(`sampleTwoGaussians: n must be a positive even integer (balanced classes), got ${n}`);
  }
  const X = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const label = i % 2 === 0 ? 1 : -1;
    y[i] = label;
    X[i] = label * twoGaussianTask.mean + twoGaussianTask.std * prng.normal();
  }
  return { n, d: 1, X, y };
}
