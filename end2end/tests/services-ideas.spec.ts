import { test, expect, checkA11y, fitsThePhone, signInAs, WORKER } from './fixtures';
import type { Page, Browser } from '@playwright/test';

const MANAGER = { email: 'manager@heard.example', password: 'demo-manager-password' };
const PHONE = '07700 900123';

/** axe and the phone's width, on the page as it stands. */
async function looksRight(page: Page) {
  await checkA11y(page);
  await fitsThePhone(page);
}

async function rate(page: Page, faces: string[], comment: string) {
  const statements = ['They listened to me', 'They treated me with respect', 'They helped me', 'It was easy to get to'];
  for (const [i, s] of statements.entries()) {
    await page.getByRole('group', { name: new RegExp(s) }).getByLabel(faces[i]).check();
  }
  if (comment) await page.getByLabel(/What would make it better/).fill(comment);
  await page.getByRole('group', { name: /How old are you/ }).getByLabel('13 to 15 years').check();
  await page.getByRole('button', { name: 'Send my answers' }).click();
}

async function suggest(page: Page, title: string, description: string) {
  await page.getByLabel('Your idea, in a few words').fill(title);
  await page.getByLabel('Tell us more (optional)').fill(description);
  await page.getByLabel('Kind of activity').selectOption({ label: 'Sport' });
  await page.getByLabel('Area').selectOption({ label: 'Birmingham' });
  await page.getByRole('button', { name: 'Send my idea' }).click();
  await expect(page.getByRole('heading', { name: 'Thank you: your idea is sent' })).toBeVisible();
  return await page.getByLabel('Your private link').inputValue();
}

async function staffPage(browser: Browser, who: { email: string; password: string }) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await signInAs(page, who);
  return page;
}

test('a young person rates a service, suggests an activity, keeps the link and later sees it approved and answered', async ({ page, browser }) => {
  // Find a service from the home page, with a forgiving search.
  await page.goto('/');
  await looksRight(page);
  await page.getByRole('link', { name: 'Rate a service' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Find a service' })).toBeVisible();
  await looksRight(page);
  await page.getByLabel('Name of the service').fill('youth clb');
  await page.getByRole('button', { name: 'Find services' }).click();
  await page.getByRole('link', { name: 'Northfield Youth Club' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Northfield Youth Club' })).toBeVisible();
  await expect(page.getByText('Not enough ratings yet')).toBeVisible();
  await looksRight(page);

  // Rate it, with a personal detail in the comment.
  await page.getByRole('link', { name: 'Rate this service' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Rate Northfield Youth Club' })).toBeVisible();
  await looksRight(page);
  await rate(page, ['5 – Very good', '4 – Good', '4 – Good', '2 – Bad'], `More trips please, call me on ${PHONE}`);
  await expect(page.getByText('Thank you for rating this service')).toBeVisible();
  await looksRight(page);
  await expect(page.locator('main')).not.toContainText(PHONE);
  // Again from this phone: it says when.
  await page.getByRole('link', { name: 'Rate this service' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'You rated this service lately' })).toBeVisible();
  await looksRight(page);

  // Suggest an activity and keep the private link.
  await page.goto('/ideas/new');
  await looksRight(page);
  const link = await suggest(page, 'A skate park', `Near the library. Text me on ${PHONE}`);
  await looksRight(page);
  await expect(page.getByRole('link', { name: 'Save the link to your phone' })).toHaveAttribute('href', /\/my\/.+\/save$/);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByRole('button', { name: 'Copy the link' }).click();
  await expect(page.getByText('Copied.')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  const path = new URL(link).pathname;
  await page.goto(path);
  await expect(page.getByText('Waiting to be checked')).toBeVisible();
  await expect(page.locator('main')).not.toContainText(PHONE);
  await looksRight(page);

  // A youth worker approves the idea and says where it stands; the rating's
  // comment is approved in moderation, redacted.
  const worker = await staffPage(browser, WORKER);
  await worker.goto('/staff/suggestions');
  await looksRight(worker);
  const item = worker.locator('.queue li').filter({ hasText: 'A skate park' });
  await item.getByRole('button', { name: /Approve/ }).click();
  await worker.goto('/staff/suggestions?show=approved');
  const approved = worker.locator('.queue li').filter({ hasText: 'A skate park' });
  await approved.getByLabel('Where it stands now').selectOption({ label: 'Planned' });
  await approved.getByLabel('A short note young people will see').fill('The council has found a site.');
  await approved.getByRole('button', { name: 'Save update' }).click();
  await expect(worker.locator('.queue li').filter({ hasText: 'A skate park' })).toContainText('Planned');
  await looksRight(worker);
  // The queue is shuffled and paged: look through it for the comment.
  await worker.goto('/staff/moderation');
  let comment = worker.locator('li').filter({ hasText: 'More trips please' }).last();
  for (let i = 0; i < 20 && (await comment.count()) === 0; i++) {
    await worker.getByRole('link', { name: 'More answers' }).click();
    comment = worker.locator('li').filter({ hasText: 'More trips please' }).last();
  }
  await expect(comment).toContainText('[phone number removed]');
  await expect(comment).not.toContainText(PHONE);
  await comment.getByRole('button', { name: /Approve/ }).first().click();

  // A manager publishes "you said, we did", linked to the idea and the service.
  const manager = await staffPage(browser, MANAGER);
  await manager.goto('/staff/replies');
  await looksRight(manager);
  await manager.getByLabel('You said').fill('You want somewhere to skate.');
  await manager.getByLabel('We did').fill('We found a site by the library.\n\n- ramps\n- a bowl');
  await manager.getByLabel('When').fill('Spring 2027');
  await manager.getByLabel('Suggestion: A skate park').check();
  await manager.getByLabel('Ratings of Northfield Youth Club').check();
  await manager.getByRole('button', { name: 'Publish' }).click();
  await expect(manager.locator('.replies')).toContainText('You want somewhere to skate.');
  await looksRight(manager);
  // Their services' ratings, by month, with the file to download.
  await manager.goto('/staff/services');
  await looksRight(manager);
  await manager.getByRole('link', { name: 'Northfield Youth Club' }).click();
  await expect(manager.getByText(/1 ratings in all/)).toBeVisible();
  await expect(manager.getByRole('link', { name: 'Download every rating (CSV)' })).toBeVisible();
  await looksRight(manager);

  // Later, the young person's link shows it approved, planned and answered.
  await page.goto(path);
  await expect(page.getByText('Checked and public')).toBeVisible();
  await expect(page.locator('main')).toContainText('The council has found a site.');
  await expect(page.locator('main')).toContainText('You want somewhere to skate.');
  await looksRight(page);
  // The public pages: the idea with its support button, the service with its
  // approved comment (redacted) and the reply, the area's replies.
  await page.goto('/ideas');
  await page.getByRole('link', { name: 'A skate park' }).click();
  await page.getByRole('button', { name: 'I support this idea' }).click();
  await expect(page.getByText('Thanks for your support!')).toBeVisible();
  await looksRight(page);
  // One rating: no summary and no comments yet (one of a handful could
  // point to who wrote it); the reply shows.
  await page.goto('/services');
  await page.getByRole('link', { name: 'Northfield Youth Club' }).click();
  await expect(page.getByText('Not enough ratings yet')).toBeVisible();
  await expect(page.locator('main')).not.toContainText(PHONE);
  await expect(page.locator('.reply')).toContainText('We found a site by the library.');
  await looksRight(page);
  await page.goto('/?area=E08000025');
  await expect(page.locator('main')).toContainText('A skate park');
  await looksRight(page);
  await page.goto('/you-said-we-did?area=E08000025');
  await looksRight(page);
});

/** The no-JavaScript journey; `audit` runs axe on every page (only where
 *  the page can run axe's script: the app's own scripts blocked instead). */
async function withoutScript(page: Page, audit: boolean) {
  const check = async () => {
    if (audit) await looksRight(page);
  };
  await page.goto('/services?q=leisure');
  await check();
  await page.getByRole('link', { name: 'Northfield Leisure Centre' }).click();
  await check();
  await page.getByRole('link', { name: 'Rate this service' }).click();
  await check();
  // A statement left out: the form comes back with the rest kept.
  await page.getByRole('group', { name: /They listened to me/ }).getByLabel('3 – OK').check();
  await page.getByRole('button', { name: 'Send my answers' }).click();
  await expect(page.locator('#error-summary')).toBeVisible();
  await expect(page.getByRole('group', { name: /They listened to me/ }).getByLabel('3 – OK')).toBeChecked();
  await check();
  await rate(page, ['3 – OK', '3 – OK', '4 – Good', '5 – Very good'], '');
  await expect(page.getByText('Thank you for rating this service')).toBeVisible();
  await check();

  await page.goto('/ideas/new');
  await check();
  await page.getByLabel('Your idea, in a few words').fill('x'.repeat(81));
  await page.getByRole('button', { name: 'Send my idea' }).click();
  await expect(page.getByText(/keep the title to 80 characters/)).toBeVisible();
  await check();
  const link = await suggest(page, audit ? 'Gaming nights' : 'Film club', 'Fridays at the club');
  if (!audit) await expect(page.getByRole('button', { name: 'Copy the link' })).toBeHidden();
  await check();
  await page.goto(new URL(link).pathname);
  await expect(page.getByText('Waiting to be checked')).toBeVisible();
  await check();
  await page.goto('/ideas');
  await check();
}

test.describe('with JavaScript off', () => {
  test.use({ javaScriptEnabled: false });

  test('a young person finds, rates and suggests with plain forms', async ({ page, browserConsole }) => {
    browserConsole.allow(/status of 422/);
    await withoutScript(page, false);
  });
});

test('every page of the no-JavaScript journey passes axe at 360 px', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true });
  await context.route('**/pkg/*.{js,wasm}', (route) => route.abort());
  const page = await context.newPage();
  await withoutScript(page, true);
  await context.close();
});
