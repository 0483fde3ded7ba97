/**
 * The <style> element every figure SVG carries, so a downloaded SVG looks like the page's. It is
 * one fixed string because the site's Content-Security-Policy allows this inline style by its hash
 * (astro.config.ts): change it here and the hash follows.
 */
export const FIGURE_SVG_STYLE =
  '<style>.s0{stroke:var(--c0,#1f6fb4)}.s1{stroke:var(--c1,#d9590f)}.s2{stroke:var(--c2,#2a9a3c)}.s3{stroke:var(--c3,#b8283a)}.s4{stroke:var(--c4,#7750b3)}.s5{stroke:var(--c5,#8a5a44)}.s6{stroke:var(--c6,#c2459a)}.s7{stroke:var(--c7,#6b6b6b)}.f0{fill:var(--c0,#1f6fb4)}.f1{fill:var(--c1,#d9590f)}.f2{fill:var(--c2,#2a9a3c)}.f3{fill:var(--c3,#b8283a)}.f4{fill:var(--c4,#7750b3)}.f5{fill:var(--c5,#8a5a44)}.f6{fill:var(--c6,#c2459a)}.f7{fill:var(--c7,#6b6b6b)}text{font:11px system-ui,sans-serif;fill:var(--fg,#222)}.ax{stroke:var(--fg,#222);stroke-width:1;fill:none}.grid{stroke:var(--grid,#ddd);stroke-width:.5}.ref{stroke:var(--fg,#222);stroke-dasharray:4 3;stroke-width:1;opacity:.7}.ln{fill:none;stroke-width:1.6}.dash{stroke-dasharray:5 3}.faint{opacity:.45}.band{stroke:none;opacity:.18}</style>';
