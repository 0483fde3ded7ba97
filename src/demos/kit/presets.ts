/**
 * Presets: named starting points of a demo (e.g. "lazy", "catapult", "diverge"). A preset is a
 * partial state over the island's defaults; pressing its button sets that whole state (controls and
 * URL), rebuilds the run from it and plays it, so what the button names is what the reader watches.
 * Each demo lists its presets next to its state (e.g. catapults-in-gd/catapultPresets.ts) and passes them to
 * DemoShell.astro; the controller (demoIsland.ts) reads them back from the markup.
 */

/** One preset: its button text, what it shows (the button's tooltip and accessible description) and its state. */
export interface DemoPreset<S> {
  /** Stable id, written to the button's data-preset and used by the tests. */
  id: string;
  label: string;
  /** One sentence: what the reader should see. */
  describe: string;
  /** The fields it sets; every other field takes the island's default. */
  state: Partial<S>;
}

/** The state a preset sets: the island's defaults, then the preset's fields (the codec clamps and applies its rules). */
export function presetState<S>(merge: (partial: Partial<S>) => S, defaults: Partial<S>, preset: DemoPreset<S>): S {
  return merge({ ...defaults, ...preset.state });
}
