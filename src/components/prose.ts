/** The components every chapter's prose uses: citations, cross-references, equations, figures, tables, takeaways and notation. */
export { default as Cite } from './Cite.astro';
export { default as Equation } from './Equation.astro';
export { default as Figure } from './Figure.astro';
export { default as M } from './M.astro';
export { default as N } from './Notation.astro';
export { default as Ref } from './Ref.astro';
export { default as Table } from './Table.astro';
export { default as Takeaway } from './Takeaway.astro';
