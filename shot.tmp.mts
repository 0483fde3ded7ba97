import { chromium } from '@playwright/test';
const [url, out, width, scheme, scrollTo] = process.argv.slice(2);
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const p = await b.newPage({ viewport: { width: Number(width), height: Number(width) > 500 ? 1000 : 844 }, colorScheme: scheme as 'dark' | 'light' });
await p.goto(url);
if (scrollTo) await p.locator(scrollTo).first().scrollIntoViewIfNeeded();
await p.screenshot({ path: out });
await b.close();
