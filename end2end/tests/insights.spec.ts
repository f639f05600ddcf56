import { test, expect, checkA11y, fitsThePhone, signInAs, WORKER } from './fixtures';
import { readFileSync } from 'node:fs';

const COMMISSIONER = { email: 'commissioner@heard.example', password: 'demo-commissioner-password' };

test('a commissioner compares, drills into a survey, reads the words, finds the gaps and downloads: rounded, explained, readable on a phone', async ({ page }) => {
  await signInAs(page, COMMISSIONER);
  await page.getByRole('navigation', { name: 'Staff' }).getByRole('link', { name: 'Insights' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Insights' })).toBeVisible();
  await expect(page.getByText(/Numbers are rounded to protect young people's privacy/)).toBeVisible();
  await expect(page.getByRole('table', { name: /Positive answers by outcome, your areas and England/ })).toBeVisible();
  // The demo's responses show: Birmingham and Leeds, several consultations.
  await expect(page.locator('.figures dd').nth(1)).not.toHaveText('0');
  await checkA11y(page);
  await fitsThePhone(page);

  // "How do young carers in Leeds feel about staying safe?": two taps.
  await page.getByLabel('Area', { exact: true }).selectOption({ label: 'Leeds' });
  await page.getByLabel('Group', { exact: true }).selectOption({ value: 'young_carer' });
  await page.getByLabel('Compare by', { exact: true }).selectOption({ label: 'Age band' });
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page.getByRole('table', { name: 'Positive answers by outcome and age band' })).toBeVisible();
  await expect(page.locator('main')).not.toContainText(/^\s*[1-9]\s*$/);
  await checkA11y(page);
  await fitsThePhone(page);
  // Too narrow: refused in words, not an empty chart.
  await page.getByLabel('Age band', { exact: true }).selectOption({ value: '18-19' });
  await page.getByLabel('Group', { exact: true }).selectOption({ value: 'in_care' });
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page.getByRole('alert')).toContainText('fewer than 10 young people');
  await checkA11y(page);

  // Download the figures: the signed-in session only, a CSV Excel reads.
  await page.goto('/staff/insights?by=area');
  await expect(page.getByRole('table', { name: 'Positive answers by outcome and area' })).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'CSV (opens in Excel)' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^heard-insights-.*\.csv$/);
  const csv = readFileSync(await download.path(), 'utf8');
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  expect(csv).toContain('Area code,Area,Age band,Young people');
  expect(csv).toContain('Leeds');
  for (const cell of csv.split(/[,\r\n]/)) expect(cell).not.toMatch(/^[1-9]$/);

  // Drill into a survey: each question a chart with its table.
  await page.getByRole('link', { name: 'How are things round here?' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'How are things round here?' })).toBeVisible();
  await expect(page.locator('svg.bars').first()).toBeVisible();
  await expect(page.locator('table.chart-table').first()).toBeVisible();
  await checkA11y(page);
  await fitsThePhone(page);

  // Who has not been heard yet: gaps said in words.
  await page.goto('/staff/insights');
  await page.getByRole('navigation', { name: 'Insights' }).getByRole('link', { name: 'Who has not been heard' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Who has not been heard yet' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Responses in Leeds by age band and group' })).toBeVisible();
  await checkA11y(page);
  await fitsThePhone(page);

  // What young people said: approved words only.
  await page.getByRole('navigation', { name: 'Insights' }).getByRole('link', { name: 'What young people said' }).click();
  await expect(page.locator('.quotes blockquote').first()).toBeVisible();
  await checkA11y(page);
  await fitsThePhone(page);

  // Services and ideas.
  await page.getByRole('navigation', { name: 'Insights' }).getByRole('link', { name: 'Services and ideas' }).click();
  await expect(page.getByRole('table', { name: 'Ratings by kind of service and area' })).toContainText('Sport and leisure');
  await checkA11y(page);
  await fitsThePhone(page);

  // A link copied out of the session downloads nothing.
  const stranger = await page.context().browser()!.newContext({ baseURL: new URL(page.url()).origin });
  const res = await stranger.request.get('/staff/insights/export.csv', { maxRedirects: 0 });
  expect(res.status()).not.toBe(200);
  await stranger.close();
});

test('a youth worker downloads their own survey\'s responses and never reaches the commissioners\' views', async ({ page }) => {
  await signInAs(page, WORKER);
  const res = await page.request.get('/staff/insights');
  expect(res.status()).toBe(403);
  await page.goto('/staff');
  await page.getByRole('link', { name: 'Results for How are things round here?' }).click();
  await expect(page.getByText('Download every response')).toBeVisible();
  await checkA11y(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^responses-.*\.csv$/);
  const csv = readFileSync(await download.path(), 'utf8');
  expect(csv.split('\n')[0]).toContain('Response,Day,Age band,Area,Groups');
  // The workbook, with this browser's session.
  const href = await page.getByRole('link', { name: 'Excel (.xlsx)' }).getAttribute('href');
  const xlsx = await page.request.get(href!);
  expect(xlsx.status()).toBe(200);
  expect((await xlsx.body()).subarray(0, 2).toString()).toBe('PK');
});
