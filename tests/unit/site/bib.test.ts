/**
 * src/site/bib.ts: the bibliography parses and an unknown key names the file to fix.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseBibliography, resolveCitations } from '../../../src/site/bib';

test('the bibliography parses, and an unknown key names the file to fix', () => {
  const refs = parseBibliography(readFileSync('content/references.bib', 'utf8'));
  for (const k of [
    'zhu2024catapults',
    'zhu2024quadratic',
    'lewkowycz2020catapult',
    'jacot2018ntk',
    'lee2019wide',
    'goodfellow2016deep',
    'keskar2017largebatch',
    'goyal2017imagenet',
    'trivedi2014consistent',
    'xia2002adaptive',
    'radhakrishnan2024mechanism',
  ]) {
    assert.ok(refs.has(k), k);
  }
  assert.match(refs.get('zhu2024catapults')!.short, /^Zhu et al\., 2024$/);
  assert.throws(() => resolveCitations(['nope'], refs), /content\/references\.bib/);
});
