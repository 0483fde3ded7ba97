/**
 * Labels written with TeX-like `_` and `^` (λ_max, η_crit, PL_5^⊥, X_B, λ_1(0), w_{t+1}) turned into
 * real sub- and superscripts: SVG <tspan>s for figures, <sub>/<sup> for HTML, and a plain form
 * (λmax) for titles and aria labels. `\_` and `\^` keep a literal character, as does a `_` or `^`
 * after a space. Also estimates the width
 * of a label in the figures' font (system-ui; widths measured from DejaVu Sans, the widest common
 * fallback, so estimates err on the wide side elsewhere), which is how the figure engine lays out
 * text without a DOM.
 */

export type Segment = { text: string; kind: 'normal' | 'sub' | 'sup' };

/** A sub/superscript without braces runs over letters, digits and primes, or is one of these symbols. */
const RUN = /^[\p{L}\p{N}′*]+/u;
const SUP_RUN = /^[−-]?[\p{L}\p{N}′*]+|^[⊥†‡⊤]/u;

/** Splits a label into normal, subscript and superscript runs. */
export function parseRich(s: string): Segment[] {
  const out: Segment[] = [];
  const push = (text: string, kind: Segment['kind']) => {
    if (!text) return;
    const last = out[out.length - 1];
    if (last && last.kind === kind) last.text += text;
    else out.push({ text, kind });
  };
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '\\' && (s[i + 1] === '_' || s[i + 1] === '^')) {
      push(s[i + 1], 'normal');
      i += 2;
      continue;
    }
    if ((c === '_' || c === '^') && i > 0 && !/\s/.test(s[i - 1])) {
      const kind = c === '_' ? 'sub' : 'sup';
      const rest = s.slice(i + 1);
      if (rest[0] === '{') {
        const end = rest.indexOf('}');
        if (end > 0) {
          push(rest.slice(1, end), kind);
          i += end + 2;
          continue;
        }
      }
      const m = (kind === 'sup' ? SUP_RUN : RUN).exec(rest);
      if (m) {
        push(m[0], kind);
        i += 1 + m[0].length;
        continue;
      }
    }
    push(c, 'normal');
    i++;
  }
  return out;
}

const escXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Sub/superscript size and shifts, in units of the base font size. */
export const SCRIPT = { size: 0.75, sub: 0.28, sup: -0.38 };

/**
 * SVG text content (escaped) for a label at `fontSize` px: plain text, or tspans that shift with dy
 * (supported everywhere, unlike baseline-shift) and set a smaller font-size.
 */
export function richSvg(s: string, fontSize: number): string {
  const segs = parseRich(s);
  if (segs.every((g) => g.kind === 'normal')) return escXml(segs.map((g) => g.text).join(''));
  const r = (v: number) => Math.round(v * 100) / 100;
  let shift = 0;
  return segs
    .map((g) => {
      const target = g.kind === 'sub' ? SCRIPT.sub * fontSize : g.kind === 'sup' ? SCRIPT.sup * fontSize : 0;
      const dy = r(target - shift);
      shift = target;
      if (g.kind === 'normal') return dy === 0 ? escXml(g.text) : `<tspan dy="${dy}">${escXml(g.text)}</tspan>`;
      return `<tspan dy="${dy}" font-size="${r(SCRIPT.size * fontSize)}">${escXml(g.text)}</tspan>`;
    })
    .join('');
}

/** HTML (escaped) with <sub>/<sup>. */
export function richHtml(s: string): string {
  return parseRich(s)
    .map((g) => (g.kind === 'normal' ? escXml(g.text) : `<${g.kind}>${escXml(g.text)}</${g.kind}>`))
    .join('');
}

/** Plain text (for <title>, aria labels, file names): the scripts run on, λ_max → λmax. */
export function richPlain(s: string): string {
  return parseRich(s)
    .map((g) => g.text)
    .join('');
}

// Advance widths in hundredths of an em, measured in Chromium for system-ui → DejaVu Sans.
const CHARS =
  ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~λημσαβγδεθκμνπρτφχψωΣΔΛΩ½²³¹⁰⁴⁵⁶⁷⁸⁹⁻⊥−×≈≤≥∞′’‘“”…·→←↑↓±√∗∇‖⊤⋅∈•—–≠∝∑';
// prettier-ignore
const W400 = [32,40,46,84,64,95,78,27,39,39,50,84,32,36,32,34,64,64,64,64,64,64,64,64,64,64,34,34,84,84,84,53,100,68,69,70,77,63,58,77,75,29,29,66,56,86,75,79,60,79,69,63,61,73,68,99,69,61,69,39,34,39,84,50,50,61,63,55,63,62,35,63,63,28,28,58,28,97,63,61,63,63,41,52,39,63,59,82,59,59,52,64,34,64,84,59,63,64,63,66,64,59,61,54,61,59,64,56,60,63,60,66,58,66,84,63,68,68,76,97,40,40,40,40,40,40,40,40,40,40,53,87,84,84,84,84,84,83,23,32,32,52,52,100,32,84,84,84,84,84,64,84,67,50,87,32,87,59,100,50,84,71,67];
// prettier-ignore
const W600 = [35,46,52,84,70,100,87,31,46,46,52,84,38,42,38,37,70,70,70,70,70,70,70,70,70,70,40,40,84,84,84,58,100,77,76,73,83,68,68,82,84,37,37,77,64,100,84,85,73,85,77,72,68,81,77,110,77,72,73,46,37,46,84,50,50,67,72,59,72,68,44,72,71,34,34,67,34,104,71,69,72,72,49,60,48,71,65,92,65,65,58,71,37,71,84,63,71,74,78,69,72,68,69,56,69,71,74,68,79,72,64,78,65,79,87,68,77,77,85,104,44,44,44,44,44,44,44,44,44,44,53,91,84,84,84,84,84,83,26,38,38,66,66,100,38,84,84,84,84,84,67,84,70,50,91,38,90,64,100,50,84,71,72];
const WIDTH = new Map<string, [number, number]>([...CHARS].map((c, i) => [c, [W400[i] / 100, W600[i] / 100]]));

/** Estimated advance width in px of plain text at `fontSize`, normal (400) or semibold (600) weight. */
export function textWidth(text: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const c of text) {
    if (/[\u0300-\u036f]/.test(c)) continue; // combining marks (η̄) take no room
    const w = WIDTH.get(c);
    em += w ? w[bold ? 1 : 0] : bold ? 0.72 : 0.66;
  }
  return em * fontSize * 1.03;
}

/** Estimated width in px of a rich label (scripts at their smaller size). */
export function richWidth(s: string, fontSize: number, bold = false): number {
  return parseRich(s).reduce(
    (w, g) => w + textWidth(g.text, g.kind === 'normal' ? fontSize : fontSize * SCRIPT.size, bold),
    0,
  );
}

/** Extent above and below the baseline of a rich label's box, in px (font ascent/descent, shifted scripts). */
export function richExtent(s: string, fontSize: number): { ascent: number; descent: number } {
  const segs = parseRich(s);
  let ascent = 0.96 * fontSize;
  let descent = 0.25 * fontSize;
  for (const g of segs) {
    if (g.kind === 'sub') descent = Math.max(descent, SCRIPT.sub * fontSize + 0.25 * SCRIPT.size * fontSize);
    if (g.kind === 'sup') ascent = Math.max(ascent, -SCRIPT.sup * fontSize + 0.96 * SCRIPT.size * fontSize);
  }
  return { ascent, descent };
}

/** Breaks a rich label at spaces into lines no wider than `max` px (a word longer than a line stays whole). */
export function wrapRich(s: string, fontSize: number, max: number, bold = false): string[] {
  if (richWidth(s, fontSize, bold) <= max) return [s];
  const words = s.split(' ');
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    const next = cur ? `${cur} ${w}` : w;
    if (cur && richWidth(next, fontSize, bold) > max) {
      lines.push(cur);
      cur = w;
    } else cur = next;
  }
  if (cur) lines.push(cur);
  return lines;
}
