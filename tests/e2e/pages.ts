/** The pages of the built site that every browser check visits (paths under the site's base). */
export const PAGES = [
  '/',
  '/chapters/catapults-in-gd/',
  '/chapters/sgd-spikes/',
  '/chapters/agop/',
  '/report/',
  '/regenerate/',
  '/search/',
] as const;

/** The chapter pages. */
export const CHAPTERS = PAGES.filter((p) => p.startsWith('/chapters/'));

/** Pages that carry a live demo (and so may load tfjs once Run is pressed). */
export const DEMO_PAGES: ReadonlySet<string> = new Set([
  '/chapters/catapults-in-gd/',
  '/chapters/sgd-spikes/',
  '/chapters/agop/',
]);

/** Opens every collapsed lab-notes section of the page, as a reader who wants the details would. */
export async function openLabNotes(page: import('@playwright/test').Page): Promise<void> {
  await page.evaluate(() =>
    document.querySelectorAll<HTMLDetailsElement>('details.lab-notes').forEach((d) => (d.open = true)),
  );
}
