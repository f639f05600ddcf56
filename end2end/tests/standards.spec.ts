import { test, expect, checkA11y, fitsThePhone, signInAs } from './fixtures';
import type { Page } from '@playwright/test';

const MANAGER = { email: 'manager@heard.example', password: 'demo-manager-password' };
const COMMISSIONER = { email: 'commissioner@heard.example', password: 'demo-commissioner-password' };
const TITLE = 'Spring self-assessment';

/** axe and the phone's width, on the page as it stands. */
async function looksRight(page: Page) {
  await checkA11y(page);
  await fitsThePhone(page);
}

/** Claims a level for the indicator `key`, with an account. */
async function claim(page: Page, key: string, level: string, account: string) {
  const indicator = page.locator(`#ind-${key}`);
  await indicator.getByText('Claim a level').click();
  await indicator.getByLabel(level, { exact: true }).check();
  await indicator.getByLabel('How you know').fill(account);
  await indicator.getByRole('button', { name: 'Save the claim' }).click();
  await expect(page.locator(`#ind-${key}`)).toContainText(`Claimed: ${level}`);
}

test('an organisation assesses itself with evidence and its young people, plans, records what changed; a commissioner sees it', async ({ page, browser }) => {
  test.setTimeout(180_000);
  await signInAs(page, MANAGER);
  await page.getByRole('navigation', { name: 'Staff' }).getByRole('link', { name: 'Standards' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Participation standards' })).toBeVisible();
  await looksRight(page);

  // Start an assessment against the Seven S framework.
  await page.getByLabel('Framework').selectOption({ label: 'Seven S participation standards' });
  await page.getByLabel('Title').fill(TITLE);
  await page.getByRole('button', { name: 'Start the assessment' }).click();
  await expect(page.getByRole('heading', { level: 1, name: TITLE })).toBeVisible();
  await expect(page.getByText('The evidence today does not earn an award yet.')).toBeVisible();
  await looksRight(page);

  // Two indicators assessed.
  await claim(page, 'values-written', 'Established', 'Our aims say young people shape what we do.');
  await claim(page, 'values-known', 'Emerging', 'New staff learn why it matters at induction.');

  // A document as evidence: a PDF, checked by its bytes.
  const first = page.locator('#ind-values-written');
  await first.getByText('Add evidence').click();
  await first.getByLabel('Title').nth(2).fill('Signed participation policy');
  await first.getByLabel('File').setInputFiles({
    name: 'participation policy.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
  });
  await first.getByRole('button', { name: 'Upload the document' }).click();
  await expect(page.locator('#ind-values-written')).toContainText('participation policy.pdf');

  // A heard survey as evidence, with its responses as they grow.
  const second = page.locator('#ind-values-known');
  await second.getByText('Add evidence').click();
  await second.getByLabel('Survey').selectOption({ index: 0 });
  await second.getByRole('button', { name: 'Add the survey' }).click();
  await expect(page.locator('#ind-values-known')).toContainText('Consultation in heard:');
  await expect(page.locator('#ind-values-known')).toContainText('responses so far:');

  // Send the young people's link.
  await page.getByRole('button', { name: 'Make the link for young people' }).click();
  const link = await page.locator('.share-link a').getAttribute('href');
  expect(link).toMatch(/\/s\/[a-z0-9]+$/);
  await expect(page.locator('#ind-values-written')).toContainText('Young people: No answers yet');

  // A young person answers it on a phone with JavaScript off, in faces.
  const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, javaScriptEnabled: false });
  const young = await phone.newPage();
  await young.goto(new URL(link!).pathname);
  await expect(young.getByText('They say their aims promise that young people get a say. Do you agree?')).toBeVisible();
  await young.getByRole('group', { name: /their aims promise/ }).getByLabel('5 – Yes, totally').check();
  await young.getByRole('group', { name: /everyone here knows why your views matter/ }).getByLabel('2 – Not really').check();
  await young.getByRole('button', { name: 'Send my answers' }).click();
  await expect(young.getByRole('heading', { level: 1 })).toContainText(/Thank you/);
  await phone.close();
  // axe needs script of its own: the same page with heard's script blocked.
  const checker = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true });
  await checker.route('**/pkg/*.{js,wasm}', (route) => route.abort());
  const same = await checker.newPage();
  await same.goto(new URL(link!).pathname);
  await looksRight(same);
  await checker.close();

  // The agreement shows beside each indicator; the award estimate says what is missing.
  await page.reload();
  await expect(page.locator('#ind-values-written')).toContainText('Young people: 1 of 1 agree');
  await expect(page.locator('#ind-values-known')).toContainText('Young people: 0 of 1 agree');
  await expect(page.getByText(/For Bronze: 5 more of the 21 key indicators/)).toBeVisible();

  // An action for a gap, and a story of change, published.
  await page.getByText('Add an action').click();
  await page.getByLabel('Indicator it is for').selectOption({ value: 'values-known' });
  await page.getByLabel('What will be done').fill('Add young people to the induction day');
  await page.getByLabel('Who will do it').fill('Participation lead');
  await page.getByLabel('Due').fill('2027-03-31');
  await page.getByRole('button', { name: 'Add the action' }).click();
  await expect(page.locator('#actions')).toContainText('Add young people to the induction day');

  await page.getByText('Add a story of change').click();
  await page.getByLabel('What young people said').fill('The club should open later on Fridays.');
  await page.getByLabel('What changed').fill('We now open until 10pm on Fridays.');
  await page.getByLabel('When it changed').fill('2027-01-15');
  await page.getByLabel('Publish it on the “you said, we did” page').check();
  await page.getByRole('button', { name: 'Add the story' }).click();
  await expect(page.locator('#changes')).toContainText('We now open until 10pm on Fridays.');
  await looksRight(page);

  // The report prints cleanly: no forms.
  await page.getByRole('link', { name: 'Report to print' }).click();
  await expect(page.getByText('Participation standards: self-assessment report')).toBeVisible();
  await expect(page.locator('main form')).toHaveCount(0);
  await looksRight(page);

  // The story is public on the organisation's "you said, we did" page.
  await page.goto('/you-said-we-did');
  await expect(page.getByText('We now open until 10pm on Fridays.')).toBeVisible();
  await looksRight(page);

  // A commissioner sees the organisation in their overview.
  const office = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true });
  const commissioner = await office.newPage();
  await signInAs(commissioner, COMMISSIONER);
  await commissioner.goto('/staff/insights');
  await commissioner.getByRole('navigation', { name: 'Insights' }).getByRole('link', { name: 'Participation standards' }).click();
  await expect(commissioner.getByRole('heading', { level: 1, name: 'Participation standards across organisations' })).toBeVisible();
  const row = commissioner.locator('table.organisations tr', { hasText: 'Northfield Youth Service' });
  await expect(row).toContainText(TITLE);
  await expect(commissioner.locator('table.organisations tr', { hasText: 'Leeds Youth Council' })).toContainText('Bronze');
  await looksRight(commissioner);
  await row.getByRole('link', { name: TITLE }).click();
  await expect(commissioner.getByRole('heading', { level: 1, name: TITLE })).toBeVisible();
  await expect(commissioner.locator('#ind-values-written')).toContainText('participation policy.pdf');
  await expect(commissioner.locator('#ind-values-written a[href^="/staff/documents/"]')).toHaveCount(0);
  await looksRight(commissioner);
  await office.close();
});
