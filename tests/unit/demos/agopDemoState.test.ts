import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AGOP_BATCH_CHOICES,
  AGOP_DEMO_URL_PARAMS,
  AGOP_NUMERIC_FIELDS,
  AgopDemoStateSchema,
  DEFAULT_AGOP_DEMO_STATE,
  agopNumericField,
  batchLabel,
  batchSizeOf,
  mergeAgopDefaults,
  parseAgopDemoState,
  serializeAgopDemoState,
  validateAgopDemoState,
} from '../../../src/demos/agop/agopDemoState';

test('defaults: b=16, n=512, d=50, width 512, eta 0.9, AGOP every 5, seed 0, 1000 steps; an empty URL gives them without notices', () => {
  assert.deepEqual(
    { ...DEFAULT_AGOP_DEMO_STATE },
    { b: '16', n: 512, d: 50, m: 512, seed: 0, etaRatio: 0.9, agopEvery: 5, maxSteps: 1000 },
  );
  assert.doesNotThrow(() => AgopDemoStateSchema.parse(DEFAULT_AGOP_DEMO_STATE));
  const { state, notices } = parseAgopDemoState('');
  assert.deepEqual(state, DEFAULT_AGOP_DEMO_STATE);
  assert.deepEqual(notices, []);
  assert.deepEqual([...AGOP_DEMO_URL_PARAMS], ['b', 'n', 'd', 'm', 'seed', 'eta', 'aevery', 'steps']);
});

test('the batch choices: powers of two up to 128 and GD, which means all n points', () => {
  assert.deepEqual([...AGOP_BATCH_CHOICES], ['8', '16', '32', '64', '128', 'gd']);
  assert.equal(batchSizeOf('gd', 300), 300);
  assert.equal(batchSizeOf('8', 300), 8);
  assert.equal(batchLabel('gd'), 'GD');
  assert.equal(batchLabel('32'), '32');
  for (const b of AGOP_BATCH_CHOICES) assert.equal(parseAgopDemoState(`b=${b}`).state.b, b);
});

test('a batch size that is not a choice keeps the default, with a notice listing the choices', () => {
  const { state, notices } = parseAgopDemoState('b=12');
  assert.equal(state.b, '16');
  assert.deepEqual(notices, ['b=12 is not one of 8, 16, 32, 64, 128, gd; using 16']);
  // Case matters: the link says gd.
  assert.deepEqual(parseAgopDemoState('b=GD').notices, ['b=GD is not one of 8, 16, 32, 64, 128, gd; using 16']);
  // Over a page's own default.
  assert.equal(
    parseAgopDemoState('b=zz', { b: 'gd' }).notices[0],
    'b=zz is not one of 8, 16, 32, 64, 128, gd; using gd',
  );
});

test('a batch of n points or more becomes GD with a notice naming n', () => {
  const { state, notices } = parseAgopDemoState('n=64&b=64');
  assert.equal(state.n, 64);
  assert.equal(state.b, 'gd');
  assert.deepEqual(notices, ['batch size 64 is not below n = 64; using GD (the full batch)']);
  assert.equal(parseAgopDemoState('n=100&b=128').state.b, 'gd');
  assert.equal(parseAgopDemoState('n=100&b=64').state.b, '64');
  assert.equal(mergeAgopDefaults({ n: 16, b: '32' }).b, 'gd');
  // Clamped to its own range first, then compared with the batch.
  const small = parseAgopDemoState('n=3');
  assert.equal(small.state.n, 16);
  assert.deepEqual(small.notices, [
    'n (training points) 3 is below 16; using 16',
    'batch size 16 is not below n = 16; using GD (the full batch)',
  ]);
});

test('non-integers are rounded, out-of-range values clamped, empty and non-finite values replaced, each field named', () => {
  const { state, notices } = parseAgopDemoState('d=1&m=100000&eta=99&aevery=0&steps=Infinity&seed=-4&n=700.4');
  assert.deepEqual(state, { b: '16', n: 700, d: 2, m: 4096, seed: 0, etaRatio: 10, agopEvery: 1, maxSteps: 1000 });
  assert.deepEqual(notices, [
    'n (training points) 700.4 is not a whole number; using 700',
    'd (input dimension) 1 is below 2; using 2',
    'width 100000 is above 4096; using 4096',
    'seed -4 is below 0; using 0',
    'eta 99 is above 10; using 10',
    'AGOP every 0 is below 1; using 1',
    'steps=Infinity is not a number; using 1000',
  ]);
  assert.doesNotThrow(() => AgopDemoStateSchema.parse(state));
  assert.deepEqual(parseAgopDemoState('eta=abc&aevery=').notices, [
    'eta=abc is not a number; using 0.9',
    'aevery= is not a number; using 5',
  ]);
});

test('every numeric field at its bounds is accepted unchanged (with a batch below n)', () => {
  for (const f of AGOP_NUMERIC_FIELDS) {
    for (const v of [f.min, f.max]) {
      const q = f.key === 'n' ? `n=${v}&b=8` : `${f.param}=${v}`;
      const { state, notices } = parseAgopDemoState(q);
      assert.equal(state[f.key], v, f.key);
      assert.deepEqual(notices, [], f.key);
    }
  }
  assert.deepEqual(
    ['n', 'd', 'm', 'agopEvery', 'maxSteps'].map((k) => {
      const f = agopNumericField(k as Parameters<typeof agopNumericField>[0]);
      return [f.min, f.max];
    }),
    [
      [16, 1024],
      [2, 200],
      [64, 4096],
      [1, 100],
      [10, 20000],
    ],
  );
});

test('URL round-trip: parse(serialize(s)) = s, defaults omitted, relative to a page’s own defaults', () => {
  const s = { b: 'gd' as const, n: 256, d: 20, m: 1024, seed: 12345, etaRatio: 0.45, agopEvery: 2, maxSteps: 3000 };
  const q = serializeAgopDemoState(s);
  assert.equal(q.toString(), 'b=gd&n=256&d=20&m=1024&seed=12345&eta=0.45&aevery=2&steps=3000');
  assert.deepEqual(parseAgopDemoState(q), { state: s, notices: [] });
  assert.equal(serializeAgopDemoState(DEFAULT_AGOP_DEMO_STATE).toString(), '');
  assert.equal(serializeAgopDemoState({ ...DEFAULT_AGOP_DEMO_STATE, b: '32' }).toString(), 'b=32');
  const base = { b: '8' as const, etaRatio: 0.5 };
  const fromBase = parseAgopDemoState('', base).state;
  assert.equal(fromBase.b, '8');
  assert.equal(serializeAgopDemoState(fromBase, base).toString(), '');
});

test('validating a state from code throws naming the field, its bounds or choices, and the fix', () => {
  assert.throws(
    () => serializeAgopDemoState({ ...DEFAULT_AGOP_DEMO_STATE, agopEvery: 0 }),
    /^Error: serializeAgopDemoState: agopEvery = 0 must be valid \(an integer in 1\.\.100\).*clamp untrusted input with parseAgopDemoState or mergeAgopDefaults/,
  );
  assert.throws(
    () => validateAgopDemoState({ ...DEFAULT_AGOP_DEMO_STATE, etaRatio: NaN }),
    /etaRatio = null must be valid \(in 0\.05\.\.10\)/,
  );
  assert.throws(
    () => validateAgopDemoState({ ...DEFAULT_AGOP_DEMO_STATE, b: '12' as never }),
    /b = "12" must be valid \(one of 8, 16, 32, 64, 128, gd\)/,
  );
  assert.throws(
    () => validateAgopDemoState({ ...DEFAULT_AGOP_DEMO_STATE, n: 64, b: '128' }),
    /AGOP demo state: batch size 128 is not below n = 64; using GD \(the full batch\); clamp untrusted input/,
  );
  assert.equal(validateAgopDemoState(DEFAULT_AGOP_DEMO_STATE).b, '16');
});

test('non-decimal numerals and repeated keys get notices (the default, or the first value)', () => {
  const { state, notices } = parseAgopDemoState('aevery=0x10&n=1e2&seed=%2B5&b=32&b=8');
  assert.deepEqual(state, { ...DEFAULT_AGOP_DEMO_STATE, b: '32' });
  assert.deepEqual(notices, [
    'b is given 2 times in the link; using the first (32)',
    'n=1e2 is not a plain decimal number; using 512',
    'seed=+5 is not a plain decimal number; using 0',
    'aevery=0x10 is not a plain decimal number; using 5',
  ]);
});
