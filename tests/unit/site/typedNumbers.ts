/**
 * Numbers typed into reader-facing text by hand. A number a reader sees must come from a trace or a
 * setting (interpolated from a readout at build time), so the only numbers allowed in the *literal*
 * text of a page's sources are structural ones (chapter and equation references, notation, the
 * definitions of our conventions), each listed with its reason in ./typedNumbersAllowed.ts.
 *
 * Where a number came from is only visible in the source: on the page, "2.2" from a trace and
 * "2.2" typed in look the same. So this reads the sources of the pages' prose:
 * - MDX chapters: the frontmatter's title and description, the Markdown text, and the text and string
 *   literals inside JSX expressions; not maths ($…$, $$…$$), code spans, imports/exports or component
 *   attributes other than reader text (caption, alt, title, aria-label, Notation's t);
 * - TypeScript modules that build captions, alt texts, sentences and report rows: every string and
 *   template-literal text with a space in it, except error messages, run keys and names passed to the
 *   trace readers, object keys and import paths;
 * - Astro components: the frontmatter as TypeScript, the template as the MDX body is read.
 * A number is a run of digits not glued to a letter, `_`, `^` or `{` (notation such as λ_0 or x1), or a
 * count word from three to twelve, "twice", "order(s) of magnitude".
 */
import ts from 'typescript';

/** One typed number: where it is and the text around it. */
export interface TypedNumber {
  file: string;
  line: number;
  number: string;
  context: string;
}

/** A piece of literal reader text and its offset in the file. */
interface Segment {
  text: string;
  offset: number;
}

/** An allowed typed number: the phrase it sits in (exact text) and why it is not a result. */
export interface AllowedPhrase {
  phrase: string;
  why: string;
}

const NUMBER =
  /(?<![\p{L}_^{\\\d.,])\d+(?:[.,]\d+)*|\b(?:three|four|five|six|seven|eight|nine|ten|eleven|twelve|twice|orders? of magnitude)\b/giu;

/** In maths, a number multiplying η or η̄ (`1.5\,\eta_\text{crit}`): a rate, so a value rather than notation. */
const RATE_IN_MATHS = /(?<![\d.])\d+(?:\.\d+)?(?=\s*\\,\s*\\(?:bar\s*\\)?eta)/g;

/** Attributes whose value is text a reader sees. */
const READER_ATTRIBUTES = new Set(['caption', 'alt', 'title', 'aria-label', 't']);

/** Calls whose string arguments name runs, keys or what is missing, for errors: not reader text. */
const NAMING_CALLS = new Set([
  'Error',
  'findRun',
  'nonEmpty',
  'need',
  'present',
  'getTrace',
  'getTraces',
  'getExperiment',
  'recordedSettings',
  'asVariant',
  'kernelDropRow',
  'startsWith',
  'endsWith',
  'includes',
  'replace',
  'split',
  'join',
  'indexOf',
]);

/** Replaces [from, to) of s by spaces, keeping newlines (offsets stay valid). */
function blank(s: string, from: number, to: number): string {
  return s.slice(0, from) + s.slice(from, to).replace(/[^\n]/g, ' ') + s.slice(to);
}

/** The name of the function a call expression calls (`a.b.c(...)` → "c"). */
function calleeName(call: ts.CallExpression | ts.NewExpression): string {
  const e = call.expression;
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return '';
}

/** Whether a string literal node is reader text in a TypeScript module (see the header). */
function isReaderLiteral(node: ts.Node): boolean {
  for (let n: ts.Node = node, p = node.parent; p; n = p, p = p.parent) {
    if (ts.isImportDeclaration(p) || ts.isExportDeclaration(p) || ts.isImportTypeNode(p)) return false;
    if (ts.isThrowStatement(p)) return false;
    if ((ts.isCallExpression(p) || ts.isNewExpression(p)) && n !== p.expression && NAMING_CALLS.has(calleeName(p)))
      return false;
    if ((ts.isPropertyAssignment(p) || ts.isPropertySignature(p)) && p.name === n) return false;
    if (ts.isElementAccessExpression(p) && p.argumentExpression === n) return false;
    if (ts.isLiteralTypeNode(p)) return false;
    if (
      ts.isBinaryExpression(p) &&
      [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken].includes(p.operatorToken.kind)
    )
      return false;
    if (ts.isCaseClause(p) && p.expression === n) return false;
    if (ts.isJsxAttribute(p)) {
      const name = p.name.getText();
      return READER_ATTRIBUTES.has(name);
    }
    if (ts.isJsxSpreadAttribute(p)) return false;
  }
  return true;
}

/** The static text of a string or template literal: its pieces with their offsets (template quasis separately). */
function literalPieces(node: ts.Node, sf: ts.SourceFile): Segment[] {
  const start = (n: ts.Node) => n.getStart(sf) + 1;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))
    return [{ text: node.getText(sf).slice(1, -1), offset: start(node) }];
  if (ts.isTemplateExpression(node)) {
    // Raw text of each quasi (escapes kept, so offsets match the file).
    const head = node.head.getText(sf);
    const pieces = [{ text: head.slice(1, -2), offset: start(node.head) }];
    for (const span of node.templateSpans) {
      const lit = span.literal.getText(sf);
      const tail = ts.isTemplateTail(span.literal);
      pieces.push({ text: lit.slice(1, tail ? -1 : -2), offset: start(span.literal) });
    }
    return pieces;
  }
  return [];
}

/** Reader text of a TypeScript or TSX source: string and template literals, and JSX text. `jsx`: the MDX/Astro body rules. */
function tsSegments(code: string, offset: number, jsx: boolean): Segment[] {
  const sf = ts.createSourceFile(
    'x.tsx',
    code,
    ts.ScriptTarget.Latest,
    true,
    jsx ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const out: Segment[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node)) out.push({ text: node.getText(sf), offset: offset + node.getStart(sf) });
    else if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) {
      const pieces = literalPieces(node, sf);
      // In a module, a literal without a space is a key or a label, not a sentence.
      const sentence = jsx || /\s/.test(pieces.map((p) => p.text).join(''));
      if (sentence && isReaderLiteral(node))
        for (const p of pieces) out.push({ text: p.text, offset: offset + p.offset });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** Blanks maths ($…$, $$…$$) and code spans outside JSX expressions, and import/export lines, of an MDX body. */
function mdxBody(body: string): string {
  let s = body.replace(/^(?:import|export)\b[^\n]*$/gm, (m) => ' '.repeat(m.length));
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '{') depth++;
    else if (c === '}') depth = Math.max(0, depth - 1);
    else if (depth === 0 && (c === '$' || c === '`')) {
      const fence = c === '$' && s[i + 1] === '$' ? '$$' : c;
      const end = s.indexOf(fence, i + fence.length);
      if (end < 0) break;
      const math = s.slice(i, end + fence.length);
      s = blank(s, i, end + fence.length);
      // A rate written in maths as a multiple of η_crit ($1.5\,\eta_\text{crit}$) is a value: keep its digits.
      if (c === '$')
        for (const m of math.matchAll(RATE_IN_MATHS)) {
          const k = i + (m.index ?? 0);
          s = s.slice(0, k) + m[0] + s.slice(k + m[0].length);
        }
      i = end + fence.length - 1;
    }
  }
  return s;
}

/** Reader text of an MDX chapter: frontmatter title and description, and its body. */
function mdxSegments(src: string): Segment[] {
  const out: Segment[] = [];
  let bodyStart = 0;
  const fm = /^---\n([\s\S]*?)\n---\n/.exec(src);
  if (fm) {
    bodyStart = fm[0].length;
    for (const m of fm[1].matchAll(/^(title|description):\s*(.*)$/gm))
      out.push({ text: m[2], offset: 4 + (m.index ?? 0) + m[0].indexOf(m[2]) });
  }
  const body = ' '.repeat(bodyStart) + mdxBody(src.slice(bodyStart));
  // The body as a TSX fragment: Markdown text becomes JSX text, expressions stay expressions.
  return [...out, ...tsSegments(`<>${body}</>`, -2, true)];
}

/** Reader text of an Astro component: its frontmatter as TypeScript, its template as JSX. */
function astroSegments(src: string): Segment[] {
  const fm = /^---\n([\s\S]*?)\n---\n/.exec(src);
  if (!fm) return tsSegments(`<>${src}</>`, -2, true);
  const code = fm[1];
  const template =
    ' '.repeat(fm[0].length) + src.slice(fm[0].length).replace(/<!--[\s\S]*?-->/g, (m) => ' '.repeat(m.length));
  return [...tsSegments(code, 4, false), ...tsSegments(`<>${template}</>`, -2, true)];
}

/** An allowed phrase as a pattern: its text exactly, any run of white space matching any other (Markdown wraps lines). */
function phraseRegExp(phrase: string): RegExp {
  const escaped = phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
  return new RegExp(escaped, 'g');
}

/**
 * A constant of a formula written plainly, not a value: next to a slash (2/η, η·λ_max/2, (1/2n), 2b/λ)
 * or the argument (0) of a symbol at initialisation (λ_1(0)).
 */
function inFormula(text: string, at: number, len: number): boolean {
  const before = text.slice(0, at);
  const after = text.slice(at + len);
  return /^[nb]?\//.test(after) || /\/$/.test(before) || (/[\p{L}\p{N})]\($/u.test(before) && /^\)/.test(after));
}

/** Every typed number in the reader text of `file` (MDX, Astro or TypeScript) that no allowed phrase covers. */
export function typedNumbers(
  file: string,
  src: string,
  allowed: readonly AllowedPhrase[],
  used?: Set<string>,
): TypedNumber[] {
  const segments = file.endsWith('.mdx')
    ? mdxSegments(src)
    : file.endsWith('.astro')
      ? astroSegments(src)
      : tsSegments(src, 0, false);
  const out: TypedNumber[] = [];
  for (const seg of segments) {
    for (const m of seg.text.matchAll(NUMBER)) {
      const at = m.index ?? 0;
      if (inFormula(seg.text, at, m[0].length)) continue;
      const cover = allowed.find((a) =>
        [...seg.text.matchAll(phraseRegExp(a.phrase))].some(
          (p) => (p.index ?? 0) <= at && at + m[0].length <= (p.index ?? 0) + p[0].length,
        ),
      );
      if (cover) {
        used?.add(cover.phrase);
        continue;
      }
      const pos = seg.offset + at;
      out.push({
        file,
        line: src.slice(0, pos).split('\n').length,
        number: m[0],
        context: seg.text
          .slice(Math.max(0, at - 50), at + m[0].length + 30)
          .replace(/\s+/g, ' ')
          .trim(),
      });
    }
  }
  return out;
}
