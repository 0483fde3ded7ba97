import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The stylesheet the pages import and the renderer rehype-katex calls must be one katex: two
// versions name their CSS classes differently and sub/superscripts then render at full size.
test('rehype-katex and remark-math render with the katex whose stylesheet the site imports', () => {
  const version = (from: string) => {
    const req = createRequire(from);
    return JSON.parse(readFileSync(req.resolve('katex/package.json'), 'utf8')).version as string;
  };
  const site = version(import.meta.url);
  for (const plugin of ['rehype-katex', 'micromark-extension-math']) {
    // Resolve katex as the plugin itself would: from its own folder.
    const from = join(process.cwd(), 'node_modules', plugin, 'package.json');
    assert.equal(version(from), site, `${plugin} uses another katex than the site`);
  }
});
