/**
 * The <style> element every figure SVG carries, so a downloaded SVG looks like the page's. It is
 * one fixed string because the site's Content-Security-Policy allows this inline style by its hash
 * (astro.config.ts): change it here and the hash follows.
 *
 * Colours are CSS variables set by the page (global.css: light, dark and print palettes); the
 * fallbacks, used by a downloaded SVG, are the light palette: Okabe–Ito (colour-blind safe), with
 * slot 6 the text colour and slot 7 grey.
 */

/** Light palette, slot by slot: blue, orange, bluish green, vermillion, reddish purple, sky blue, ink, grey. */
export const PALETTE_LIGHT = ['#0072b2', '#e69f00', '#009e73', '#d55e00', '#cc79a7', '#56b4e9', '#1d1d1f', '#6b6b6b'];

const slots = PALETTE_LIGHT.map(
  (c, i) => `.s${i}{stroke:var(--c${i},${c})}.f${i}{fill:var(--c${i},${c})}.t${i}{fill:var(--c${i},${c})}`,
).join('');

const rules = [
  slots,
  'text{font:12px system-ui,sans-serif;fill:var(--fg,#1d1d1f)}',
  'text.title{font-size:13px;font-weight:600}',
  'text.muted{fill:var(--muted,#5a5a60)}',
  '.ax{stroke:var(--fg,#1d1d1f);stroke-width:1;fill:none}',
  '.tk{stroke:var(--fg,#1d1d1f);stroke-width:1}',
  '.tk.minor{opacity:.6}',
  '.grid line{stroke:var(--grid,#e3e3e6);stroke-width:.6}',
  '.ln{fill:none;stroke-width:1.75;stroke-linejoin:round}',
  '.dash{stroke-dasharray:5 3}',
  '.faint{opacity:.4}',
  '.band{stroke:none;opacity:.2}',
  '.span-fill{fill:var(--muted,#5a5a60);opacity:.1}',
  '.mk circle,.mk path{stroke:var(--bg,#fff);stroke-width:.8}',
  '.mkx path{fill:none;stroke-width:1.6}',
  '.ref,.ref-sym{stroke:var(--muted,#5a5a60);stroke-dasharray:4 3;stroke-width:1}',
  PALETTE_LIGHT.map((c, i) => `.ref.r${i},.ref-sym.r${i}{stroke:var(--c${i},${c})}`).join(''),
  '.readout line{stroke:var(--fg,#1d1d1f);stroke-width:.8;stroke-dasharray:2 2}',
  '.readout circle{fill:none;stroke:var(--fg,#1d1d1f);stroke-width:1.5}',
  '.cbar-frame{fill:none;stroke:var(--fg,#1d1d1f);stroke-width:.6}',
];

export const FIGURE_SVG_STYLE = `<style>${rules.join('')}</style>`;
