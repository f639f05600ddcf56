import { test as base, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

type Console = { errors: string[]; allow: (pattern: RegExp) => void };

/** Every test fails on any console error or uncaught exception it did not expect. */
export const test = base.extend<{ browserConsole: Console }>({
  browserConsole: [
    async ({ page }, use) => {
      const errors: string[] = [];
      const allowed: RegExp[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      await use({ errors, allow: (p) => allowed.push(p) });
      expect(errors.filter((e) => !allowed.some((p) => p.test(e))), 'console errors').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** axe finds no violations on the page as it stands. */
export async function checkA11y(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const found = results.violations.map(
    (v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`,
  );
  expect(found, `accessibility on ${page.url()}`).toEqual([]);
}

/** The page fits the phone's screen: nothing is wider than the viewport we set.
 *  (Mobile Chromium widens its layout viewport to fit wide content, so compare
 *  with the configured width, not with innerWidth.) */
export async function fitsThePhone(page: Page) {
  const width = page.viewportSize()!.width;
  const wide = await page.evaluate((w) => {
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      const r = el.getBoundingClientRect();
      if (r.right > w + 0.5 && el.closest('.table-wrap') === null) out.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(r.right)}px`);
    }
    return { scroll: document.documentElement.scrollWidth, out: out.slice(0, 5) };
  }, width);
  expect(wide.out, `elements wider than ${width}px on ${page.url()}`).toEqual([]);
  expect(wide.scroll, `page width on ${page.url()}`).toBeLessThanOrEqual(width);
}

export const WORKER = { email: 'worker@heard.example', password: 'demo-worker-password' };
export const LEAD = { email: 'safeguarding@heard.example', password: 'demo-safeguarding-password' };
export const ADMIN = { email: 'admin@heard.example', password: 'demo-admin-password' };

/** Signs `who` in on `page` and waits for the staff home page. */
export async function signInAs(page: Page, who: { email: string; password: string }) {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Surveys' })).toBeVisible();
}
