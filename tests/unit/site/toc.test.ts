/**
 * src/site/toc.ts: one entry per `## ` line, paired in order with the rendered h2s; maths rendered,
 * text escaped; fenced code ignored; a count mismatch names the file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chapterToc, headingHtml, sourceSections } from '../../../src/site/toc';

const body = [
  'Intro text',
  '## The linear picture',
  '### A subsection',
  '```md',
  '## not a heading',
  '```',
  '## How far above $\\eta_\\text{crit}$ can one go?',
  '## Q & A <b>',
].join('\n');

test('sections are the ## lines outside code fences', () => {
  assert.deepEqual(sourceSections(body), [
    'The linear picture',
    'How far above $\\eta_\\text{crit}$ can one go?',
    'Q & A <b>',
  ]);
});

test('entries pair each section with its rendered h2, maths as KaTeX and text escaped', () => {
  const toc = chapterToc(
    body,
    [
      { depth: 2, slug: 'the-linear-picture', text: 'The linear picture' },
      { depth: 3, slug: 'a-subsection', text: 'A subsection' },
      { depth: 2, slug: 'how-far', text: 'How far above ηcrit\\eta_\\text{crit}ηcrit can one go?' },
      { depth: 2, slug: 'q-a-b', text: 'Q & A <b>' },
    ],
    'x.mdx',
  );
  assert.deepEqual(
    toc.map((e) => e.slug),
    ['the-linear-picture', 'how-far', 'q-a-b'],
  );
  assert.equal(toc[0].html, 'The linear picture');
  assert.match(toc[1].html, /^How far above <span class="katex">.*<\/span> can one go\?$/s);
  assert.equal(toc[2].html, 'Q &amp; A &lt;b&gt;');
  assert.equal(headingHtml('The `code` and **bold**', 'x.mdx'), 'The <code>code</code> and bold');
});

test('a different number of h2s fails naming the file and the fix', () => {
  assert.throws(
    () => chapterToc(body, [{ depth: 2, slug: 'a', text: 'a' }], 'content/chapters/x.mdx'),
    /content\/chapters\/x\.mdx: 3 "## " heading lines in the source but 1 h2 .*"## Title" line/,
  );
  assert.throws(() => headingHtml('Bad $\\nope$', 'y.mdx'), /y\.mdx: heading "Bad \$\\nope\$"/);
});
