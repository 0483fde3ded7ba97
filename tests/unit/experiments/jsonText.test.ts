import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuplicateKeyError, findDuplicateKey, parseJsonStrict } from '../../../src/experiments/jsonText';

test('findDuplicateKey names the dotted path of a repeated key, at any depth', () => {
  assert.equal(findDuplicateKey('{"a":1,"b":2}'), null);
  assert.deepEqual(findDuplicateKey('{"a":1,"a":2}'), { field: 'a', key: 'a' });
  assert.deepEqual(findDuplicateKey('{"summary":{"x":1,"y":2,"x":3}}'), { field: 'summary.x', key: 'x' });
  assert.deepEqual(findDuplicateKey('{"series":{"loss":[1,2],"loss":[3]}}'), { field: 'series.loss', key: 'loss' });
  assert.deepEqual(findDuplicateKey('{"U":[{"a":1},{"b":1,"b":2}]}'), { field: 'U[1].b', key: 'b' });
});

test('findDuplicateKey: equal keys in different objects, braces and quotes inside strings, escapes', () => {
  assert.equal(findDuplicateKey('{"a":{"k":1},"b":{"k":1},"k":0}'), null);
  assert.equal(findDuplicateKey('{"a":"{\\"a\\":1,\\"a\\":2}","b":"]}"}'), null);
  // "\u0061" is "a": the same key spelt two ways.
  assert.deepEqual(findDuplicateKey('{"a":1,"\\u0061":2}'), { field: 'a', key: 'a' });
  assert.equal(findDuplicateKey('[{"a":1},{"a":2}]'), null);
  assert.equal(findDuplicateKey('{"a\\\\":1,"a":2}'), null);
});

test('parseJsonStrict parses like JSON.parse and refuses a repeated key naming it', () => {
  assert.deepEqual(parseJsonStrict('{"a":[1,{"b":null}]}'), { a: [1, { b: null }] });
  assert.throws(
    () => parseJsonStrict('{"m":{"v":1,"v":2}}'),
    (e: Error) => {
      assert.ok(e instanceof DuplicateKeyError);
      assert.equal((e as DuplicateKeyError).field, 'm.v');
      assert.match(e.message, /field "m\.v": key "v" appears twice/);
      return true;
    },
  );
  assert.throws(() => parseJsonStrict('{"a":1,'), SyntaxError);
});
