/**
 * A chapter imports three barrels and nothing else: the shared prose components, its own
 * components and its own values (src/site/chapters/<slug>/index.ts); every name those barrels
 * re-export for it is used on the page, so a barrel does not collect dead names.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = 'content/chapters';
const IMPORT = /^import\s+\{([^}]*)\}\s+from\s+'([^']+)';$/gm;

for (const file of readdirSync(DIR).filter((f) => f.endsWith('.mdx'))) {
  const slug = file.replace(/\.mdx$/, '');
  test(`${file}: three barrel imports, each name used`, () => {
    const text = readFileSync(join(DIR, file), 'utf8');
    const statements = text.split('\n').filter((l) => /^import\b/.test(l));
    const parsed = [...text.matchAll(IMPORT)].map((m) => ({
      from: m[2],
      names: m[1]
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean),
    }));
    assert.equal(statements.length, parsed.length, `${file}: write each import as one line "import { … } from '…';"`);
    assert.deepEqual(
      parsed.map((p) => p.from),
      ['../../src/components/prose', `../../src/components/${slug}`, `../../src/site/chapters/${slug}`],
      `${file}: import the shared prose components, then src/components/${slug}, then src/site/chapters/${slug}; add a value to the barrel, not an import`,
    );
    const body = text
      .split('\n')
      .filter((l) => !/^import\b/.test(l))
      .join('\n');
    for (const { from, names } of parsed) {
      if (from.endsWith('/prose')) continue; // shared: a chapter may not need every one
      for (const n of names)
        assert.match(body, new RegExp(`\\b${n}\\b`), `${file}: ${n} is imported from ${from} but never used`);
    }
    // the values barrel re-exports exactly what the page imports from it
    const barrel = readFileSync(`src/site/chapters/${slug}/index.ts`, 'utf8');
    const exported = [...barrel.matchAll(/export\s+\{([^}]*)\}/g)].flatMap((m) =>
      m[1]
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean),
    );
    assert.deepEqual([...exported].sort(), [...parsed[2].names].sort(), `src/site/chapters/${slug}/index.ts`);
  });
}
