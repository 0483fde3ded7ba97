/**
 * src/site/numbering.ts: figure/equation numbers in source order and citation order.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { articleContext, citationOrder, numberLabels } from '../../../src/site/numbering';

test('numbering counts definitions in source order, not references', () => {
  const src = `<Figure label="fig-a" /> see <Ref label="fig-b" /> <Equation label="eq-x">x</Equation> <UvFigure label="fig-b" /> <Ref label="eq-x" />`;
  const n = numberLabels(src);
  assert.equal(n.get('fig-a')!.display, 'Figure 1');
  assert.equal(n.get('fig-b')!.display, 'Figure 2');
  assert.equal(n.get('eq-x')!.display, 'Eq. (1)');
  assert.throws(() => numberLabels('<Figure label="fig-a"/><Figure label="fig-a"/>'), /used twice/);
  assert.deepEqual(citationOrder('<Cite key="b, a" /> <Cite key="a" /> <Cite key="c"/>'), ['b', 'a', 'c']);
  assert.equal(articleContext('').numbers.size, 0);
});
