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

/** The page fits a 360px screen: nothing scrolls sideways. */
export async function fitsThePhone(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `horizontal overflow on ${page.url()}`).toBeLessThanOrEqual(0);
}

export const WORKER = { email: 'worker@heard.example', password: 'demo-worker-password' };
