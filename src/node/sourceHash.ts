/**
 * Node-only: the code half of a trace's cache key. An experiment's source hash covers every
 * project module its run imports at run time (resolved with the TypeScript compiler API, starting
 * from the experiment's own module and, for tfjs experiments, the backend initialiser the worker
 * calls) plus the installed versions of the numerics packages that code imports.
 *
 * Each module is hashed as its syntax tree, not its bytes: whitespace, line breaks, comments (JSDoc
 * included) and types are not part of it, string and template literals count by their value (quote
 * style is free), numeric literals by their value (1e3 = 1000), and punctuation the tree already
 * encodes (brackets, commas, semicolons, redundant parentheses) is left out. So reformatting (a
 * Prettier pass) or editing a comment leaves every trace fresh, while any change to identifiers,
 * operators, literals or the shape of an expression makes the traces of exactly the experiments
 * that import the module stale.
 *
 * Everything is computed once per process and root (the site build asks for it per trace).
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { canonicalJson, sha256Hex } from '../experiments/hash';

/** Packages whose version changes the numbers a run produces (read from node_modules/<pkg>/package.json). */
export const NUMERIC_PACKAGES: readonly string[] = [
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-backend-cpu',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-backend-webgl',
  'ml-matrix',
  'mnist',
];

/** Module the pipeline's worker imports (and runs) before a run of an experiment with `usesTfjs`. */
export const BACKEND_MODULE = 'src/lib/backend.ts';
const REGISTRY_MODULE = 'src/experiments/registry.ts';

const COMPILER_OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  target: ts.ScriptTarget.ES2022,
  allowImportingTsExtensions: true,
  allowJs: true,
  resolveJsonModule: true,
  noEmit: true,
};

/** What an experiment's source hash is made of (for `status`, tests and error messages). */
export interface SourceHashInput {
  /** Project modules (repository-relative, '/'-separated, sorted) → token-stream hash. */
  modules: Record<string, string>;
  /** Numerics packages the modules import → installed version. */
  packages: Record<string, string>;
}

const toPosix = (p: string) => p.split(sep).join('/');

function scriptKind(file: string): ts.ScriptKind {
  if (file.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (file.endsWith('.ts') || file.endsWith('.mts') || file.endsWith('.cts')) return ts.ScriptKind.TS;
  if (file.endsWith('.json')) return ts.ScriptKind.JSON;
  return ts.ScriptKind.JS;
}

function parse(file: string, text: string): ts.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(file));
}

/** `import type …` (a whole clause erased at compile time). */
const typeOnlyClause = (c: ts.ImportClause | undefined) => !!c && ts.isTypeOnlyImportDeclaration(c);

const hasDeclare = (node: ts.Node) =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.DeclareKeyword);

/** Nodes with no run-time meaning: erased before hashing, like a compiler erases them. */
function isErasedDeclaration(node: ts.Node): boolean {
  return (
    ts.isInterfaceDeclaration(node) ||
    ts.isTypeAliasDeclaration(node) ||
    (ts.isImportDeclaration(node) && typeOnlyClause(node.importClause)) ||
    (ts.isExportDeclaration(node) && node.isTypeOnly) ||
    ((ts.isImportSpecifier(node) || ts.isExportSpecifier(node)) && node.isTypeOnly) ||
    (ts.isHeritageClause(node) && node.token === ts.SyntaxKind.ImplementsKeyword) ||
    (ts.isParameter(node) && ts.isIdentifier(node.name) && node.name.text === 'this') ||
    hasDeclare(node) ||
    ts.isJSDoc(node)
  );
}

const sameRange = (a: ts.Node, b: ts.NodeArray<ts.Node> | undefined) =>
  !!b && a.kind === ts.SyntaxKind.SyntaxList && a.pos === b.pos && a.end === b.end;

/**
 * Indices of `kids` (children of `node`) that only carry types: a type annotation with its ':'
 * (or 'as', 'satisfies', '<…>' of an assertion), type parameters/arguments with their '<' '>',
 * a non-null '!', and '?'/'!' markers of optional parameters and definite assignments.
 */
function erasedChildren(node: ts.Node, kids: readonly ts.Node[]): Set<number> {
  const skip = new Set<number>();
  const n = node as ts.Node & {
    type?: ts.Node;
    typeParameters?: ts.NodeArray<ts.Node>;
    typeArguments?: ts.NodeArray<ts.Node>;
    questionToken?: ts.Node;
    exclamationToken?: ts.Node;
  };
  const markers =
    ts.isParameter(node) ||
    ts.isPropertyDeclaration(node) ||
    ts.isVariableDeclaration(node) ||
    ts.isPropertySignature(node) ||
    ts.isMethodDeclaration(node);
  kids.forEach((k, i) => {
    if (n.type && k === n.type && ts.isTypeNode(k)) {
      skip.add(i);
      const before = kids[i - 1];
      if (ts.isTypeAssertionExpression(node)) {
        skip.add(i - 1);
        skip.add(i + 1);
      } else if (
        before &&
        [ts.SyntaxKind.ColonToken, ts.SyntaxKind.AsKeyword, ts.SyntaxKind.SatisfiesKeyword].includes(before.kind)
      ) {
        skip.add(i - 1);
      }
    } else if (sameRange(k, n.typeParameters) || sameRange(k, n.typeArguments)) {
      skip.add(i);
      if (kids[i - 1]?.kind === ts.SyntaxKind.LessThanToken) skip.add(i - 1);
      if (kids[i + 1]?.kind === ts.SyntaxKind.GreaterThanToken) skip.add(i + 1);
    } else if (ts.isNonNullExpression(node) && k.kind === ts.SyntaxKind.ExclamationToken) {
      skip.add(i);
    } else if (markers && (k === n.questionToken || k === n.exclamationToken)) {
      skip.add(i);
    }
  });
  return skip;
}

// Punctuation the tree's shape already says: with every node's kind and extent in the hash, brackets,
// braces, commas and semicolons add nothing, and leaving them out makes Prettier's choices (trailing
// commas, parentheses around a lone arrow parameter) invisible.
const PUNCTUATION = new Set([
  ts.SyntaxKind.OpenParenToken,
  ts.SyntaxKind.CloseParenToken,
  ts.SyntaxKind.OpenBracketToken,
  ts.SyntaxKind.CloseBracketToken,
  ts.SyntaxKind.OpenBraceToken,
  ts.SyntaxKind.CloseBraceToken,
  ts.SyntaxKind.CommaToken,
  ts.SyntaxKind.SemicolonToken,
]);

/** Text that stands for one token in the hash: kind plus value (cooked for strings, numeric for numbers). */
function tokenText(node: ts.Node, sf: ts.SourceFile): string {
  if (
    ts.isStringLiteral(node) ||
    ts.isNoSubstitutionTemplateLiteral(node) ||
    ts.isTemplateHead(node) ||
    ts.isTemplateMiddle(node) ||
    ts.isTemplateTail(node)
  ) {
    return `${ts.SyntaxKind[node.kind]}:${JSON.stringify(node.text)}`;
  }
  if (ts.isNumericLiteral(node)) return `${ts.SyntaxKind[node.kind]}:${String(Number(node.text))}`;
  return `${ts.SyntaxKind[node.kind]}:${node.getText(sf)}`;
}

/**
 * The parts of a parsed file that take part in running it, as a bracketed tree in source order:
 * "[Kind" … "]" around every node, its tokens inside. Redundant parentheses are dropped (a
 * parenthesised expression counts as its inner expression): the tree, not the parentheses, fixes
 * precedence, so `(a + b) * c` and `a + b * c` still differ while `x ? y : (z)` equals `x ? y : z`.
 */
function structureParts(sf: ts.SourceFile): string[] {
  const out: string[] = [];
  const walk = (node: ts.Node) => {
    if (isErasedDeclaration(node)) return;
    // Parentheses, and assertions that only carry a type, stand for their inner expression.
    if (
      ts.isParenthesizedExpression(node) ||
      ts.isAsExpression(node) ||
      ts.isNonNullExpression(node) ||
      ts.isTypeAssertionExpression(node) ||
      ts.isSatisfiesExpression(node)
    ) {
      return walk(node.expression);
    }
    const kids = node.getChildren(sf);
    if (kids.length === 0) {
      if (
        node.kind === ts.SyntaxKind.EndOfFileToken ||
        node.kind === ts.SyntaxKind.SyntaxList ||
        PUNCTUATION.has(node.kind)
      )
        return;
      out.push(tokenText(node, sf));
      return;
    }
    const start = out.push(`[${ts.SyntaxKind[node.kind]}`);
    const skip = erasedChildren(node, kids);
    kids.forEach((k, i) => {
      if (!skip.has(i)) walk(k);
    });
    // A list left empty by type erasure (e.g. a class's `implements` clauses) is no list at all.
    if (node.kind === ts.SyntaxKind.SyntaxList && out.length === start) out.pop();
    else out.push(']');
  };
  walk(sf);
  return out;
}

/**
 * Hash of a module's syntax tree with types, comments and formatting erased (see the file
 * comment for what counts as a change). JSON modules are hashed as canonical JSON. Exported for
 * tests; `fileName` only picks the dialect.
 */
export function moduleTokenHash(text: string, fileName: string): string {
  if (fileName.endsWith('.json')) return sha256Hex(canonicalJson(JSON.parse(text)));
  return sha256Hex(structureParts(parse(fileName, text)).join('\n'));
}

/** Module specifiers a file imports at run time: no `import type` / `export type` (erased). */
export function runtimeImports(text: string, fileName: string): string[] {
  const sf = parse(fileName, text);
  const out: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!typeOnlyClause(node.importClause)) out.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!node.isTypeOnly) out.push(node.moduleSpecifier.text);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      if (!node.isTypeOnly) out.push(node.moduleReference.expression.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteralLike(arg)) out.push(arg.text);
      else
        throw new Error(
          `${sf.fileName}: dynamic import() of a computed specifier; the source hash cannot follow it (use a string literal)`,
        );
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** "@scope/name" or "name" of a bare specifier ("@tensorflow/tfjs-core/dist/x" → "@tensorflow/tfjs-core"). */
function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const isRelative = (spec: string) => spec.startsWith('./') || spec.startsWith('../') || spec.startsWith('/');

/** Per-root caches: file → parsed facts, entry → closure, package → version. */
interface RootCache {
  root: string;
  files: Map<string, { hash: string; project: string[]; packages: string[] }>;
  versions: Map<string, string>;
  experimentFiles: Map<string, string> | null;
  hashes: Map<string, { hash: string; input: SourceHashInput }>;
}
const caches = new Map<string, RootCache>();

function cacheFor(root: string): RootCache {
  const key = resolve(root);
  let c = caches.get(key);
  if (!c) {
    c = { root: key, files: new Map(), versions: new Map(), experimentFiles: null, hashes: new Map() };
    caches.set(key, c);
  }
  return c;
}

/** Forgets every computed hash (tests that edit a module call this; processes never need to). */
export function resetSourceHashCache(): void {
  caches.clear();
}

function fileFacts(c: RootCache, file: string) {
  const hit = c.files.get(file);
  if (hit) return hit;
  const text = readFileSync(file, 'utf8');
  const hash = moduleTokenHash(text, file);
  const project: string[] = [];
  const packages: string[] = [];
  if (!file.endsWith('.json')) {
    for (const spec of runtimeImports(text, file)) {
      if (spec.startsWith('node:') || spec.startsWith('virtual:') || spec.startsWith('astro:')) continue;
      const r = ts.resolveModuleName(spec, file, COMPILER_OPTIONS, ts.sys).resolvedModule;
      if (!r || r.isExternalLibraryImport || r.resolvedFileName.includes(`${sep}node_modules${sep}`)) {
        if (isRelative(spec)) throw new Error(`${toPosix(relative(c.root, file))}: cannot resolve import "${spec}"`);
        packages.push(packageName(spec));
        continue;
      }
      const target = realpathSync(r.resolvedFileName);
      if (target.endsWith('.d.ts')) continue;
      if (!target.startsWith(c.root + sep))
        throw new Error(
          `${toPosix(relative(c.root, file))}: import "${spec}" resolves outside the project (${target})`,
        );
      project.push(target);
    }
  }
  const facts = { hash, project, packages };
  c.files.set(file, facts);
  return facts;
}

function packageVersion(c: RootCache, name: string): string {
  let v = c.versions.get(name);
  if (v === undefined) {
    const pj = join(c.root, 'node_modules', name, 'package.json');
    v = existsSync(pj) ? String(JSON.parse(readFileSync(pj, 'utf8')).version) : 'not installed';
    c.versions.set(name, v);
  }
  return v;
}

/** Every project module reachable from `entries` (absolute paths) through run-time imports, and its hash input. */
export function moduleClosure(entries: string[], root: string): SourceHashInput {
  const c = cacheFor(root);
  const seen = new Set<string>();
  const packages = new Set<string>();
  const stack = entries.map((e) => realpathSync(resolve(c.root, e)));
  while (stack.length) {
    const f = stack.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    const facts = fileFacts(c, f);
    for (const p of facts.packages) packages.add(p);
    for (const p of facts.project) if (!seen.has(p)) stack.push(p);
  }
  const modules: Record<string, string> = {};
  for (const f of [...seen]
    .map((f) => [toPosix(relative(c.root, f)), f] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    modules[f[0]] = fileFacts(c, f[1]).hash;
  }
  const pk: Record<string, string> = {};
  for (const p of [...packages].filter((p) => NUMERIC_PACKAGES.includes(p)).sort()) pk[p] = packageVersion(c, p);
  return { modules, packages: pk };
}

/**
 * Experiment id → its module, found in the registry's imports: the module whose
 * `defineExperiment({ id: '…', … })` call names that id.
 */
function experimentFiles(c: RootCache): Map<string, string> {
  if (c.experimentFiles) return c.experimentFiles;
  const registry = join(c.root, REGISTRY_MODULE);
  const map = new Map<string, string>();
  for (const file of fileFacts(c, realpathSync(registry)).project) {
    const sf = parse(file, readFileSync(file, 'utf8'));
    const visit = (node: ts.Node) => {
      if (
        ts.isCallExpression(node) &&
        ts.isIdentifier(node.expression) &&
        node.expression.text === 'defineExperiment'
      ) {
        const [arg] = node.arguments;
        if (arg && ts.isObjectLiteralExpression(arg)) {
          for (const p of arg.properties) {
            if (
              ts.isPropertyAssignment(p) &&
              ts.isIdentifier(p.name) &&
              p.name.text === 'id' &&
              ts.isStringLiteralLike(p.initializer)
            ) {
              map.set(p.initializer.text, file);
            }
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  c.experimentFiles = map;
  return map;
}

/** Repository-relative path of the module that defines experiment `id`. */
export function experimentModule(id: string, root: string): string {
  const c = cacheFor(root);
  const file = experimentFiles(c).get(id);
  if (!file) {
    throw new Error(
      `source hash: no module imported by ${REGISTRY_MODULE} calls defineExperiment({ id: '${id}', … }) with a literal id; ` +
        'define each experiment with a string-literal id in its own module',
    );
  }
  return toPosix(relative(c.root, file));
}

/** The modules and package versions behind experiment `id` (its module; the backend module too if it uses tfjs). */
export function experimentSourceInput(id: string, opts: { usesTfjs: boolean; root: string }): SourceHashInput {
  return experimentSource(id, opts).input;
}

/** SHA-256 (hex) of canonical JSON of `experimentSourceInput`: the `sourceHash` stored in each trace. */
export function experimentSourceHash(id: string, opts: { usesTfjs: boolean; root: string }): string {
  return experimentSource(id, opts).hash;
}

function experimentSource(id: string, opts: { usesTfjs: boolean; root: string }) {
  const c = cacheFor(opts.root);
  const key = `${id}:${opts.usesTfjs}`;
  let hit = c.hashes.get(key);
  if (!hit) {
    const entries = [join(c.root, experimentModule(id, c.root))];
    if (opts.usesTfjs) entries.push(join(c.root, BACKEND_MODULE));
    const input = moduleClosure(entries, c.root);
    hit = { hash: sha256Hex(canonicalJson(input)), input };
    c.hashes.set(key, hit);
  }
  return hit;
}

/** The repository root above `from` (the nearest folder with src/experiments/registry.ts), else `from`. */
export function findProjectRoot(from: string): string {
  let d = resolve(from);
  for (;;) {
    if (existsSync(join(d, REGISTRY_MODULE))) return d;
    const up = dirname(d);
    if (up === d) return resolve(from);
    d = up;
  }
}
