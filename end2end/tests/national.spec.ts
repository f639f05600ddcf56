import { test, expect, checkA11y, fitsThePhone, signInAs, ADMIN, WORKER } from './fixtures';

// The e2e server is both a local instance with a signed feed and the hub it
// feeds (.ci/e2e-server.sh).
const TOKEN = 'e2e-feed-token-that-only-the-hub-knows';
const COMMISSIONER = { email: 'commissioner@heard.example', password: 'demo-commissioner-password' };

test('a youth worker makes a survey from the national questions; an administrator registers the instance, pulls its feed and a commissioner reads England', async ({ page, request, baseURL, browserConsole }) => {
  await signInAs(page, WORKER);
  await page.getByRole('navigation', { name: 'Staff' }).getByRole('link', { name: 'National questions' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'National questions' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Growing up in England (version 1)' })).toBeVisible();
  await checkA11y(page);
  await fitsThePhone(page);
  await page.getByRole('button', { name: 'Make a survey with these questions' }).click();
  await expect(page).toHaveURL(/\/staff\/surveys\/\d+$/);
  await expect(page.locator('main')).toContainText('How safe do you feel when you are out in your area?');
  await checkA11y(page);

  // Only the hub, showing the token, reads the feed.
  expect((await request.get('/feed')).status()).toBe(404);
  const feed = await request.get('/feed', { headers: { Authorization: `Bearer ${TOKEN}` } });
  expect(feed.status()).toBe(200);
  expect(feed.headers()['heard-signature']).toBeTruthy();
  const key = (await feed.json()).key as string;

  await page.context().clearCookies();
  await signInAs(page, ADMIN);
  await page.getByRole('navigation', { name: 'Staff' }).getByRole('link', { name: 'National hub' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'National hub' })).toBeVisible();
  await checkA11y(page);
  await fitsThePhone(page);
  await page.getByLabel('Identifier', { exact: true }).fill('e2e');
  await page.getByLabel('Name', { exact: true }).fill('This heard');
  await page.getByLabel('Feed address').fill(`${baseURL}/feed`);
  await page.getByLabel('Public key').fill(key);
  await page.getByLabel('Pull token').fill(TOKEN);
  await page.getByRole('button', { name: 'Register' }).click();
  await expect(page.getByRole('heading', { name: 'This heard' })).toBeVisible();
  await page.getByRole('button', { name: 'Pull This heard now' }).click();
  await expect(page.locator('main')).toContainText(/Kept document \d+/);
  await checkA11y(page);
  await fitsThePhone(page);
  // Removing asks first (opened, not done: the commissioner reads it next).
  await page.locator('summary', { hasText: 'Remove This heard' }).click();
  await expect(page.getByLabel('Remove This heard and its figures')).toBeVisible();
  await checkA11y(page);

  await page.context().clearCookies();
  await signInAs(page, COMMISSIONER);
  await page.getByRole('navigation', { name: 'Staff' }).getByRole('link', { name: 'England' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'England: national questions' })).toBeVisible();
  await expect(page.locator('main')).toContainText('This heard: document signed');
  await expect(page.getByText(/Numbers are rounded to protect young people's privacy/)).toBeVisible();
  await checkA11y(page);
  await fitsThePhone(page);
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Excel workbook (.xlsx)' }).click();
  expect((await download).suggestedFilename()).toMatch(/^heard-national-\d{4}-\d{2}-\d{2}\.xlsx$/);
  browserConsole.allow(/status of 404/);
  expect((await page.goto('/staff/hub'))?.status()).toBe(404);
});
