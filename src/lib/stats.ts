/**
 * Small order statistics shared by experiments and site read-outs.
 */

/** Upper median: the element at ⌊len/2⌋ of the sorted values (the middle one for odd lengths); NaN if empty. Does not modify xs. */
export function median(xs: ArrayLike<number>): number {
  if (xs.length === 0) return NaN;
  const a = Array.from(xs).sort((p, q) => p - q);
  return a[Math.floor(a.length / 2)];
}
