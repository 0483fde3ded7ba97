/**
 * Projected losses of chapter 2: how much of the residual R = F(w) − Y lies in the top-s
 * eigen-directions of the tangent kernel K(w) (n×n, eigenvectors u_j, values descending).
 */

/** PL_s, PL_s^⊥ and their sum, each an MSE-scale quantity (divided by n). */
export interface ProjectedLoss {
  pl: number;
  plPerp: number;
  total: number;
}

/**
 * PL_s = (1/n)‖Σ_{j≤s}⟨R,u_j⟩u_j‖² and PL_s^⊥ = (1/n)‖Σ_{j>s}⟨R,u_j⟩u_j‖², total = (1/n)‖R‖².
 * They decompose the MSE (1/n)‖R‖², which is 2/n times our training loss ½‖R‖²
 * (criticalLearningRate.ts). With orthonormal u_j, PL_s = (1/n)Σ_{j≤s}⟨R,u_j⟩².
 * If all n eigenvectors are given, PL_s^⊥ is summed over j > s directly; with only the top k
 * (k < n, e.g. from Lanczos) it is computed as ‖R‖²/n − PL_s.
 */
export function projectedLoss(
  eig: { values: ArrayLike<number>; vectors: ArrayLike<number>[] },
  residual: ArrayLike<number>,
  s: number,
): ProjectedLoss {
  const n = residual.length;
  const k = eig.vectors.length;
  if (n === 0) throw new Error('projectedLoss: residual is empty; pass F(w) − Y on n ≥ 1 samples');
  if (!Number.isInteger(s) || s < 0 || s > k) {
    throw new Error(`projectedLoss: s must be an integer in 0..${k} (number of eigenvectors given), got ${s}`);
  }
  const proj2 = (u: ArrayLike<number>, j: number): number => {
    if (u.length !== n)
      throw new Error(`projectedLoss: eigenvector ${j} has length ${u.length}, residual has n = ${n}`);
    let c = 0;
    for (let i = 0; i < n; i++) c += u[i] * residual[i];
    return c * c;
  };
  let r2 = 0;
  for (let i = 0; i < n; i++) r2 += residual[i] * residual[i];
  let top = 0;
  for (let j = 0; j < s; j++) top += proj2(eig.vectors[j], j);
  const total = r2 / n;
  const pl = top / n;
  let plPerp: number;
  if (k === n) {
    let rest = 0;
    for (let j = s; j < n; j++) rest += proj2(eig.vectors[j], j);
    plPerp = rest / n;
  } else {
    plPerp = Math.max(0, total - pl); // clamp float cancellation when the top s hold all of R
  }
  return { pl, plPerp, total };
}
