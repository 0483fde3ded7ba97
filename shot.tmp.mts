import { chromium } from '@playwright/test';
const [url, sel, out, width, scheme] = process.argv.slice(2);
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const p = await b.newPage({ viewport: { width: Number(width ?? 1280), height: 900 }, colorScheme: (scheme as 'dark') ?? 'light' });
await p.goto(url);
await p.evaluate(() => document.querySelectorAll('details.lab-notes').forEach((d) => ((d as HTMLDetailsElement).open = true)));
if (sel === 'page') await p.screenshot({ path: out, fullPage: false });
else await p.locator(sel).screenshot({ path: out });
await b.close();
