import { test, expect, checkA11y, fitsThePhone, signInAs, WORKER } from './fixtures';
import type { Browser, BrowserContext, Page } from '@playwright/test';

const PHONES = 30;

async function phone(browser: Browser, code: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
  });
  const page = await context.newPage();
  await page.goto(`/j/${code}`);
  return { context, page };
}

test('a youth worker runs a quick poll live with a room of phones', async ({ page, browser }) => {
  test.setTimeout(240_000);
  // The youth worker, on the projector.
  await page.setViewportSize({ width: 1280, height: 800 });
  await signInAs(page, WORKER);
  await page.getByRole('button', { name: 'Start a quick poll' }).click();
  const add = page.locator('#add-question');
  for (const q of [
    { kind: 'Single choice', prompt: 'Which night should we open?', options: 'Monday\nFriday' },
    { kind: 'Yes / no / not sure', prompt: 'Would you help plan a trip?', options: '' },
  ]) {
    await add.getByLabel('Type of question').selectOption({ label: q.kind });
    await add.getByLabel('Question', { exact: true }).fill(q.prompt);
    await add.getByLabel(/^Options, one per line/).fill(q.options);
    await add.getByRole('button', { name: 'Add question' }).click();
    await expect(page.getByRole('heading', { level: 3, name: new RegExp(q.prompt.replace('?', '\\?')) })).toBeVisible();
  }
  await page.getByRole('button', { name: 'Run it live with a room' }).click();
  const code = (await page.locator('.join-code').innerText()).replace(/\s/g, '');
  expect(code).toMatch(/^[A-HJKMNP-Z2-9]{6}$/);
  await expect(page.locator('.stage-counts')).toContainText('0 joined');
  await checkA11y(page);

  // The first phone joins by typing the code on the home page.
  const first = await phone(browser, '');
  await first.page.goto('/');
  await first.page.getByLabel('Code on the screen').fill(code.toLowerCase().slice(0, 3) + ' ' + code.slice(3).toLowerCase());
  await first.page.getByRole('button', { name: 'Join' }).click();
  await expect(first.page.getByRole('heading', { name: 'Waiting for the next question' })).toBeVisible();
  await checkA11y(first.page);
  await fitsThePhone(first.page);

  const phones = [first];
  for (let i = 1; i < PHONES; i++) phones.push(await phone(browser, code));
  await expect(page.locator('.stage-counts')).toContainText(`${PHONES} joined`, { timeout: 20_000 });

  // A clicker's arrow key moves the room on; every phone follows by itself.
  await page.locator('body').press('ArrowRight');
  await expect(page.locator('.stage-question')).toHaveText('Which night should we open?');
  for (const p of phones) {
    await expect(p.page.getByText('Which night should we open?')).toBeVisible({ timeout: 20_000 });
  }
  await checkA11y(phones[0].page);
  await fitsThePhone(phones[0].page);

  // Every phone answers; every answer reaches the projector.
  for (const [i, p] of phones.entries()) {
    await p.page.getByLabel(i % 3 === 0 ? 'Monday' : 'Friday').check();
    await p.page.getByRole('button', { name: 'Send' }).click();
    await expect(p.page.getByText('Saved. You can change your answer')).toBeVisible({ timeout: 20_000 });
  }
  await expect(page.locator('.stage-counts')).toContainText(`${PHONES} answered`, { timeout: 20_000 });
  await expect(page.locator('#stage table')).toContainText('Monday');
  await checkA11y(page);

  // One phone loses its connection while the room moves on, then gets it back.
  const cut = phones[PHONES - 1];
  await cut.context.setOffline(true);
  await page.locator('body').press('PageDown');
  await expect(page.locator('.stage-question')).toHaveText('Would you help plan a trip?');
  for (const p of phones.slice(0, PHONES - 1)) {
    await expect(p.page.getByText('Would you help plan a trip?')).toBeVisible({ timeout: 20_000 });
    // A notice about the last question's answer does not follow them.
    await expect(p.page.getByText('Saved. You can change your answer')).toHaveCount(0);
  }
  await cut.context.setOffline(false);
  await expect(cut.page.getByText('Would you help plan a trip?')).toBeVisible({ timeout: 30_000 });
  await cut.page.getByLabel('Yes', { exact: true }).check();
  await cut.page.getByRole('button', { name: 'Send' }).click();
  await expect(cut.page.getByText('Saved. You can change your answer')).toBeVisible({ timeout: 20_000 });
  await expect(page.locator('.stage-counts')).toContainText('1 answered', { timeout: 20_000 });

  // Previous by keyboard, then the session ends: phones are told.
  await page.locator('body').press('ArrowLeft');
  await expect(page.locator('.stage-question')).toHaveText('Which night should we open?');
  await page.getByRole('button', { name: 'End session' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'What the room said' })).toBeVisible();
  await expect(page.locator('.live-summary')).toContainText('Which night should we open?');
  await checkA11y(page);
  for (const p of phones) {
    await expect(p.page.getByRole('heading', { name: 'This session has ended' })).toBeVisible({ timeout: 20_000 });
  }
  await checkA11y(first.page);
  for (const p of phones) await p.context.close();
});

test('a phone answers with JavaScript off', async ({ page, browser }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signInAs(page, WORKER);
  await page.getByRole('link', { name: 'What should the youth club do next?' }).first().click();
  await page.getByRole('button', { name: 'Run it live with a room' }).click();
  const code = (await page.locator('.join-code').innerText()).replace(/\s/g, '');
  // A youth worker may run it from a phone too.
  await page.setViewportSize({ width: 360, height: 740 });
  await fitsThePhone(page);
  await checkA11y(page);
  // As without JavaScript: the app's scripts are blocked (axe still runs).
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true });
  await context.route('**/pkg/*.{js,wasm}', (route) => route.abort());
  const p = await context.newPage();
  // The join page on its own, as a phone without the home page finds it.
  await p.goto('/j');
  await checkA11y(p);
  await fitsThePhone(p);
  await p.getByLabel('Code on the screen').fill(code);
  await p.getByRole('button', { name: 'Join' }).click();
  await expect(p).toHaveURL(new RegExp(`/j/${code}$`));
  await expect(p.getByRole('heading', { name: 'Waiting for the next question' })).toBeVisible();
  await page.getByRole('button', { name: 'Next question' }).click();
  await p.getByRole('link', { name: 'Check for the next question' }).click();
  await p.getByLabel('Friday').check();
  await p.getByRole('button', { name: 'Send' }).click();
  await expect(p.getByText('Saved. You can change your answer')).toBeVisible();
  await expect(p.getByLabel('Friday')).toBeChecked();
  await checkA11y(p);
  await page.reload();
  await expect(page.locator('.stage-counts')).toContainText('1 answered');
  await context.close();
});
