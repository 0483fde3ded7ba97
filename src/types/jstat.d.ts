// jStat ships no type declarations; these cover the one distribution the site uses.
declare module 'jstat' {
  interface StudentT {
    /** Quantile of Student's t with `dof` degrees of freedom at probability p. */
    inv(p: number, dof: number): number;
    /** Cumulative distribution of Student's t with `dof` degrees of freedom at x. */
    cdf(x: number, dof: number): number;
  }
  const jstat: { jStat: { studentt: StudentT } };
  export default jstat;
}
