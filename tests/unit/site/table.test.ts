/**
 * src/site/table.ts: a table spec's checks, and the CSV and JSON downloads <Table> builds from it
 * (quoting, units, named parts, raw values rather than the text shown), and the JSON back to the CSV.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  blank,
  cell,
  checkTableSpec,
  headerText,
  meanStdCell,
  specOfJson,
  tableCsv,
  tableJson,
  type TableSpec,
} from '../../../src/site/table';

const spec = (): TableSpec => ({
  finding: 'Ours is close to the paper.',
  caption: 'A small table, with "quotes", commas and η_crit.',
  columns: [
    { key: 'name', header: 'network', role: 'label' },
    { key: 'ours', header: 'η_max / η_crit,\nours', role: 'ours' },
    { key: 'share', header: 'batches below', role: 'ours', unit: '%' },
    { key: 'paper', header: 'paper', role: 'paper' },
    { key: 'seeds', header: 'seeds', role: 'setting' },
  ],
  rows: [
    {
      name: cell('2-layer, "rank-2" data'),
      ours: meanStdCell({ mean: 2.1734, std: 0.0812, text: '2.17 ± 0.08' }),
      share: cell('46 %', 45.678),
      paper: cell('≈ 6', 6),
      seeds: cell('3 (+1 capped)', { seeds: 3, capped: 1 }),
    },
    {
      name: cell('FCN\nMNIST'),
      ours: blank('no runs'),
      share: blank(),
      paper: blank(),
      seeds: cell('5', 5),
    },
  ],
  settings: { 'shallow-eta-max (paper profile)': { seeds: 5 } },
  experiment: ['shallow-eta-max', 'deep-eta-max'],
});

test('the CSV holds raw values in full precision, one column per named part, units in the header, quoted text', () => {
  assert.equal(
    tableCsv(spec()),
    [
      'network,"η_max / η_crit, ours, mean","η_max / η_crit, ours, std",batches below (%),paper,"seeds, seeds","seeds, capped"',
      '"2-layer, ""rank-2"" data",2.1734,0.0812,45.678,6,3,1',
      // null: empty cells; a scalar under a column with parts goes to its first part
      '"FCN\nMNIST",,,,,5,',
      '',
    ].join('\n'),
  );
});

test('a column of scalars is one CSV column; a text is quoted only when it must be', () => {
  const s: TableSpec = {
    ...spec(),
    columns: [
      { key: 'a', header: 'a', role: 'label' },
      { key: 'b', header: 'b, with comma', role: 'ours', unit: 'steps' },
    ],
    rows: [
      { a: cell('plain'), b: cell('12,345', 12345) },
      { a: cell('carriage\rreturn'), b: cell('< 0.0002', 0.0001) },
    ],
  };
  assert.equal(tableCsv(s), 'a,"b, with comma (steps)"\nplain,12345\n"carriage\rreturn",0.0001\n');
});

test('the JSON holds the number, label, caption, settings, columns and both the raw values and the texts shown', () => {
  const j = tableJson(spec(), 'tab-eta-max', 'Table 2');
  assert.equal(j.table, 'Table 2');
  assert.equal(j.label, 'tab-eta-max');
  assert.deepEqual(j.experiments, ['shallow-eta-max', 'deep-eta-max']);
  assert.deepEqual(j.settings, { 'shallow-eta-max (paper profile)': { seeds: 5 } });
  assert.deepEqual(
    j.columns.map((c) => `${c.key}|${c.header}|${c.role}|${'unit' in c ? c.unit : ''}`),
    [
      'name|network|label|',
      'ours|η_max / η_crit, ours|ours|',
      'share|batches below|ours|%',
      'paper|paper|paper|',
      'seeds|seeds|setting|',
    ],
  );
  assert.deepEqual(j.rows[0], {
    name: '2-layer, "rank-2" data',
    ours: { mean: 2.1734, std: 0.0812 },
    share: 45.678,
    paper: 6,
    seeds: { seeds: 3, capped: 1 },
  });
  assert.deepEqual(j.rows[1].ours, null);
  assert.equal(j.shown[0].ours, '2.17 ± 0.08');
  assert.equal(j.shown[1].ours, 'no runs');
  // the browser writes the CSV from the JSON it decoded: the same bytes as from the spec
  assert.equal(tableCsv(specOfJson(JSON.parse(JSON.stringify(j)))), tableCsv(spec()));
});

test('a header keeps its page line breaks out of the downloads', () => {
  assert.equal(headerText('steps taken at or\nabove the rate'), 'steps taken at or above the rate');
});

test('checkTableSpec accepts a good spec and refuses each kind of bad one, naming the table', () => {
  assert.equal(checkTableSpec(spec(), 'tab-x').rows.length, 2);
  const bad = (change: (s: TableSpec) => TableSpec, re: RegExp) =>
    assert.throws(
      () => checkTableSpec(change(spec()), 'tab-x'),
      (e: Error) => /^table tab-x: /.test(e.message) && re.test(e.message),
    );
  // the reader's columns first: a paper value before ours, a setting before the paper
  bad(
    (s) => ({ ...s, columns: [s.columns[0], s.columns[3], s.columns[1], s.columns[2], s.columns[4]] }),
    /"ours" \(ours\) comes after "paper" \(paper\)/,
  );
  bad(
    (s) => ({ ...s, columns: [s.columns[0], s.columns[4], s.columns[1], s.columns[2], s.columns[3]] }),
    /comes after "seeds" \(setting\)/,
  );
  bad(
    (s) => ({ ...s, columns: [s.columns[1], s.columns[0], ...s.columns.slice(2)] }),
    /first column must be a row label/,
  );
  bad(
    (s) => ({ ...s, columns: [...s.columns, { key: 'seeds', header: 'again', role: 'other' }] }),
    /"seeds" is used twice/,
  );
  bad((s) => ({ ...s, rows: [{ ...s.rows[0], extra: cell('x') }] }), /cell "extra" that no column declares/);
  bad((s) => {
    const { paper: _, ...rest } = s.rows[0];
    return { ...s, rows: [rest] };
  }, /row 1 has no cell "paper"/);
  bad((s) => ({ ...s, rows: [{ ...s.rows[0], paper: cell('NaN', NaN) }] }), /"paper": the value is not finite/);
  bad((s) => ({ ...s, rows: [{ ...s.rows[0], ours: cell('x', { mean: Infinity }) }] }), /part "mean" is not finite/);
  bad((s) => ({ ...s, rows: [] }), /no rows/);
  bad((s) => ({ ...s, finding: ' ' }), /finding is empty/);
  // the finding counts: its 6 words and 45 make 51
  bad((s) => ({ ...s, caption: Array(45).fill('word').join(' ') }), /caption has 51 words, at most 50 allowed/);
  assert.doesNotThrow(() => checkTableSpec({ ...spec(), caption: Array(44).fill('word').join(' ') }, 'tab-x'));
  bad((s) => ({ ...s, experiment: [] }), /no experiment/);
});

test('a mean ± std cell keeps its stats as the raw value, a missing part as null', () => {
  assert.deepEqual(meanStdCell({ mean: 1, std: NaN }, '1.00 ± —'), { text: '1.00 ± —', value: { mean: 1, std: null } });
});
