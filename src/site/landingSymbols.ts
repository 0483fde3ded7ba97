/**
 * The symbols and names the landing page uses (its hero, story and figure caption), each defined in a
 * line in plain notation (src/site/notation.ts renders it), so a reader who knows gradient descent but
 * not the papers can read every caption on the page. Definitions follow docs/conventions.md.
 */

/** One entry of the page's list of symbols: how it is written, and what it means. */
export interface SymbolDefinition {
  /** The symbol or name as the page writes it (plain notation). */
  symbol: string;
  definition: string;
}

/** The landing page's symbols, in reading order. */
export const LANDING_SYMBOLS: readonly SymbolDefinition[] = [
  { symbol: 'GD, SGD', definition: 'gradient descent on the whole training set; stochastic GD on mini-batches of it.' },
  { symbol: 'η', definition: 'the step size (learning rate) of GD or SGD.' },
  { symbol: 'n, d', definition: 'the number of training samples, and the dimension of each input x.' },
  { symbol: 'm', definition: 'the width of the network: its number of hidden units.' },
  { symbol: 'w_0', definition: 'the network’s weights at the start of training (a random draw, fixed by the seed).' },
  {
    symbol: 'K(w_0), λ_max',
    definition:
      'the tangent kernel K = JJᵀ at w_0, an n×n matrix (J: the derivatives of the n outputs with respect to the weights), and its largest eigenvalue λ_max: the sharpness of the loss along its steepest direction.',
  },
  {
    symbol: 'η_crit = 2/λ_max',
    definition:
      'the critical rate: a GD step above it overshoots along the sharpest direction, so a model that stayed linear would diverge. For a mini-batch, the same with the batch’s own kernel.',
  },
  { symbol: 'η_max', definition: 'the largest step size at which GD still converges.' },
  {
    symbol: 'λ, λ_0',
    definition: 'in the hero’s uv model the tangent kernel is one number λ; λ_0 is its value at the start.',
  },
  {
    symbol: 'rank-2',
    definition:
      'the task y = x_1·x_2 with Gaussian inputs x in d dimensions: the target depends on two directions of the input only.',
  },
  {
    symbol: 'AGOP',
    definition:
      'the average gradient outer product: the d×d average, over the training inputs, of ggᵀ, where g is the gradient of the network’s output with respect to its input. It shows which input directions the network is sensitive to; its alignment with the target’s AGOP is the cosine between the two matrices.',
  },
];
