/**
 * What the platform promises a reader: the Content-Security-Policy blocks nothing the site needs
 * (every page, and a run of each demo, which loads tfjs, its wasm binary and a Web Worker), and
 * KaTeX's renderer and stylesheet come from one version, so sub/superscripts are set smaller
 * than their base.
 */
import { expect, test, type Page } from '@playwright/test';
import { settled } from './lazyLoad';
import { PAGES } from './pages';

const DEMOS = [
  { page: '/chapters/catapults-in-gd/', selector: '[data-catapult-demo]', query: 'eta=1.5&steps=60' },
  { page: '/chapters/sgd-spikes/', selector: '[data-sgd-spike-demo]', query: 'steps=60' },
  // The AGOP demo draws its heatmaps from the figure renderer, whose <style> the CSP allows by hash.
  { page: '/chapters/agop/', selector: '[data-agop-demo]', query: 'steps=60' },
];

/** Records CSP violations, both as DOM events (page and workers report them) and as console messages. */
async function watchCsp(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  await page.exposeFunction('__cspViolation', (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __cspViolation(t: string): void }).__cspViolation(
        `${e.violatedDirective}: ${e.blockedURI}`,
      );
    });
  });
  return violations;
}

for (const path of PAGES) {
  test(`${path}: carries a CSP and violates none of it`, async ({ page }) => {
    const violations = await watchCsp(page);
    await page.goto(path, { waitUntil: 'load' });
    await settled(page);
    const csp = await page.locator('meta[http-equiv="content-security-policy"]').getAttribute('content');
    expect(csp).toContain("default-src 'self'");
    const scriptSrc = /script-src ([^;]*)/.exec(csp ?? '')?.[1] ?? '';
    expect(scriptSrc, 'script-src allows neither inline scripts nor eval').not.toMatch(/'unsafe-inline'|'unsafe-eval'/);
    // Inline style is allowed only in attributes (KaTeX), never as <style> elements without a hash.
    expect(/style-src ([^;]*)/.exec(csp ?? '')?.[1] ?? '').not.toContain('unsafe-inline');
    expect(violations).toEqual([]);
  });
}

for (const demo of DEMOS) {
  test(`${demo.page}: a demo run (tfjs, wasm, worker) violates no CSP directive`, async ({ page }) => {
    const violations = await watchCsp(page);
    await page.goto(`${demo.page}?${demo.query}`);
    const island = page.locator(demo.selector).first();
    await island.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(island).toHaveAttribute('data-status', /finished|diverged/, { timeout: 100_000 });
    expect(violations).toEqual([]);
  });
}

test('KaTeX: subscripts and superscripts render smaller than their base', async ({ page }) => {
  await page.goto('/chapters/catapults-in-gd/');
  const sizes = await page.evaluate(() => {
    const out: { base: number; script: number; text: string }[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('.katex-html .msupsub')) {
      const base = el.closest('.katex-html');
      const script = el.querySelector<HTMLElement>('.mord, .mathnormal, .mord.mathnormal');
      if (!base || !script) continue;
      out.push({
        base: parseFloat(getComputedStyle(base).fontSize),
        script: parseFloat(getComputedStyle(script).fontSize),
        text: el.textContent ?? '',
      });
    }
    return out;
  });
  expect(sizes.length).toBeGreaterThan(10);
  const fullSize = sizes.filter((s) => !(s.script < 0.85 * s.base));
  expect(fullSize, 'scripts rendered at full size (two KaTeX versions?)').toEqual([]);
});
