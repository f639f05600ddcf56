import { test, expect, checkA11y, fitsThePhone, signInAs } from './fixtures';

const COMMISSIONER = { email: 'commissioner@heard.example', password: 'demo-commissioner-password' };

test('a commissioner opens the insights overview: rounded, explained, readable on a phone', async ({ page }) => {
  await signInAs(page, COMMISSIONER);
  await page.getByRole('navigation', { name: 'Staff' }).getByRole('link', { name: 'Insights' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Insights' })).toBeVisible();
  await expect(page.getByText(/Numbers are rounded to protect young people's privacy/)).toBeVisible();
  await expect(page.getByRole('table', { name: /Positive answers by outcome/ })).toBeVisible();
  await checkA11y(page);
  await fitsThePhone(page);
});
