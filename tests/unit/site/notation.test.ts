import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasNotation, notationHtml, notationTex } from '../../../src/site/notation';

test('plain notation maps to the TeX the chapters use', () => {
  const tex = (s: string) => {
    const m = /^(\p{L}+\u0304?)(.*)$/u.exec(s);
    assert.ok(m, s);
    return notationTex(m[1], m[2]);
  };
  assert.equal(tex('λ_max'), '\\lambda_{\\max}');
  assert.equal(tex('η_crit'), '\\eta_{\\text{crit}}');
  assert.equal(tex('η̄_crit'), '\\bar{\\eta}_{\\text{crit}}');
  assert.equal(tex('PL_5^⊥'), '\\mathrm{PL}_{5}^{\\perp}');
  assert.equal(tex('X_B'), 'X_{B}');
  assert.equal(tex('η_{crit,B}'), '\\eta_{\\text{crit},B}');
  assert.equal(tex('x_i^⊤'), 'x_{i}^{\\top}');
});

test('notationHtml renders each symbol with KaTeX, escapes the rest and keeps \\_ literal', () => {
  const html = notationHtml('2/λ_max <b> & a\\_b');
  assert.match(html, /class="katex"/);
  assert.match(html, /<annotation encoding="application\/x-tex">\\lambda_\{\\max\}<\/annotation>/);
  assert.match(html, /&lt;b&gt; &amp; a_b$/);
  assert.doesNotMatch(html, /λ_max/);
  assert.equal(notationHtml('mean ± std, Var f*'), 'mean ± std, Var f*');
  assert.equal(hasNotation('η_crit'), true);
  assert.equal(hasNotation('rank-2, 14×14'), false);
});
