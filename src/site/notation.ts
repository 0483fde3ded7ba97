/**
 * One notation for the whole site. Labels, captions, table cells and claims are written in a short
 * plain form (λ_max, η_crit, η̄_crit, PL_5^⊥, X_B, w_{t+1}); at build time every such symbol is
 * rendered by KaTeX, the same way as the `$…$` maths of the chapters, with the conventions the
 * chapters use (multi-letter subscripts as \text{…}, `max`/`min` as operators, PL as \mathrm{PL}).
 * SVG text cannot hold KaTeX, so figures keep the tspan sub/superscripts of richText.ts.
 */
import katex from 'katex';

/** A symbol with at least one sub- or superscript: a letter run (with an optional macron) then `_…`/`^…`. */
const SYMBOL = /(?<![\p{L}\p{N}\\])(\p{L}+\u0304?)((?:(?<!\\)[_^](?:\{[^{}]*\}|[−-]?[\p{L}\p{N}′*]+|[⊥†‡⊤]))+)/gu;
const SCRIPT = /([_^])(\{[^{}]*\}|[−-]?[\p{L}\p{N}′*]+|[⊥†‡⊤])/gu;

const GREEK: Record<string, string> = {
  α: '\\alpha',
  β: '\\beta',
  γ: '\\gamma',
  δ: '\\delta',
  ε: '\\varepsilon',
  η: '\\eta',
  θ: '\\theta',
  κ: '\\kappa',
  λ: '\\lambda',
  μ: '\\mu',
  ν: '\\nu',
  π: '\\pi',
  ρ: '\\rho',
  σ: '\\sigma',
  τ: '\\tau',
  φ: '\\varphi',
  χ: '\\chi',
  ψ: '\\psi',
  ω: '\\omega',
  Δ: '\\Delta',
  Λ: '\\Lambda',
  Σ: '\\Sigma',
  Ω: '\\Omega',
};
const SYMBOLS: Record<string, string> = { '⊥': '\\perp', '⊤': '\\top', '†': '\\dagger', '‡': '\\ddagger', '′': "'" };
const OPERATORS = new Set(['max', 'min']);

/** TeX for a base or script run: Greek letters as commands, − as -, words as \text (max/min as operators). */
function runTex(s: string, script: boolean): string {
  if (script && s.includes(','))
    return s
      .split(',')
      .map((p) => runTex(p.trim(), true))
      .join(',');
  if (script && OPERATORS.has(s)) return `\\${s}`;
  if (/^\p{L}{2,}$/u.test(s) && ![...s].some((c) => c in GREEK)) return script ? `\\text{${s}}` : `\\mathrm{${s}}`;
  return [...s]
    .map((c) => GREEK[c] ?? SYMBOLS[c] ?? (c === '−' ? '-' : c === '\u0304' ? '' : c))
    .join(' ')
    .replace(/\s+/g, ' ');
}

/** TeX for one symbol of the plain notation, e.g. `η̄_crit` → `\bar{\eta}_{\text{crit}}`, `PL_5^⊥` → `\mathrm{PL}_{5}^{\perp}`. */
export function notationTex(base: string, scripts: string): string {
  const macron = base.endsWith('\u0304');
  const b = runTex(macron ? base.slice(0, -1) : base, false);
  let tex = macron ? `\\bar{${b}}` : b;
  for (const m of scripts.matchAll(SCRIPT)) {
    const body = m[2].startsWith('{') ? m[2].slice(1, -1) : m[2];
    tex += `${m[1]}{${runTex(body, true)}}`;
  }
  return tex;
}

const escHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** KaTeX HTML (with MathML for screen readers) of one TeX formula, inline. */
export function inlineMath(tex: string): string {
  return katex.renderToString(tex, { output: 'htmlAndMathml', throwOnError: true, strict: 'error' });
}

/**
 * Escaped HTML of plain text with every notation symbol rendered as inline KaTeX; `\_` and `\^`
 * stay literal characters. Throws (naming the text) if KaTeX cannot render a symbol.
 */
export function notationHtml(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(SYMBOL)) {
    const at = m.index ?? 0;
    out += escHtml(text.slice(last, at));
    try {
      // .nt: notation inside running text is set a little smaller than display maths (global.css).
      out += `<span class="nt">${inlineMath(notationTex(m[1], m[2]))}</span>`;
    } catch (e) {
      throw new Error(`notation: cannot render "${m[0]}" in "${text.slice(0, 80)}": ${(e as Error).message}`);
    }
    last = at + m[0].length;
  }
  out += escHtml(text.slice(last));
  return out.replace(/\\([_^])/g, '$1');
}

/** Whether a text holds any notation symbol that notationHtml would render. */
export const hasNotation = (text: string): boolean => new RegExp(SYMBOL.source, 'u').test(text);
