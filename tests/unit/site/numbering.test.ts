/**
 * src/site/numbering.ts: figure, table and equation numbers in source order, and citation order.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { articleContext, checkLabel, citationOrder, lookupLabel, numberLabels } from '../../../src/site/numbering';

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

test('tables are numbered "Table N" in source order, apart from figures, on <Table> and any *Table component', () => {
  const src = [
    '<Figure label="fig-a" />',
    '<EtaMaxTable label="tab-eta" />',
    'as <Ref label="tab-batch" /> shows',
    '<Figure label="fig-b" />',
    '<Table label="tab-opt" spec={optimizerTable()} />',
    '<BatchTable task="rank2" label="tab-batch" />',
  ].join('\n');
  const n = numberLabels(src);
  assert.deepEqual(
    [...n.values()].map((x) => `${x.label} ${x.kind} ${x.display}`),
    [
      'fig-a figure Figure 1',
      'tab-eta table Table 1',
      'fig-b figure Figure 2',
      'tab-opt table Table 2',
      'tab-batch table Table 3',
    ],
  );
  assert.equal(lookupLabel(articleContext(src), 'tab-batch').n, 3);
  assert.throws(() => lookupLabel(articleContext(src), 'tab-missing'), /not defined on this page; known: .*tab-opt/);
});

test('a table label given twice, malformed, or on the wrong kind of component is refused', () => {
  assert.throws(
    () => numberLabels('<Table label="tab-a" spec={x} /><BatchTable label="tab-a" />'),
    /"tab-a" is used twice/,
  );
  // a table label shared with a figure is still one id on the page
  assert.throws(() => numberLabels('<Figure label="fig-a" /><Figure label="fig-a" />'), /used twice/);
  assert.throws(() => numberLabels('<Table label="tab a" spec={x} />'), /must look like "fig-name", "tab-name"/);
  assert.throws(() => numberLabels('<Table label="table-a" spec={x} />'), /must look like/);
  assert.throws(() => numberLabels('<Table label="" spec={x} />'), /must look like/);
  assert.throws(
    () => numberLabels('<Table label="fig-a" spec={x} />'),
    /on <Table>: a table's label starts with "tab-"/,
  );
  assert.throws(() => numberLabels('<UvFigure label="tab-a" />'), /on <UvFigure>: a figure's label starts with "fig-"/);
  assert.throws(() => numberLabels('<Equation label="tab-a">x</Equation>'), /an equation's label starts with "eq-"/);
  assert.equal(checkLabel('tab-eta_max-2'), 'table');
  assert.throws(() => checkLabel('tab-'), /must look like/);
  // a reference or any other component with a label defines nothing
  assert.equal(numberLabels('<Ref label="tab-a" /><Takeaway label="x" />').size, 0);
});
