import { test, expect, checkA11y, fitsThePhone } from './fixtures';
import type { Page } from '@playwright/test';

const CLUB = 'What should the youth club do next?';
const SAFETY = 'Feeling safe where you live';

const question = (page: Page, prompt: RegExp) => page.getByRole('group', { name: prompt });

async function answerClubSurvey(page: Page) {
  await question(page, /Which night should the club open/).getByLabel('Friday').check();
  const picks = question(page, /What would you like to do/);
  await picks.getByLabel('Sport').check();
  await picks.getByLabel('Cooking').check();
  await question(page, /How much do you enjoy the club now/).getByLabel('4 – Good').check();
  await question(page, /Would you help plan a trip/).getByLabel('Not sure').check();
  await page.getByLabel(/One word for the club/).fill('brilliant');
  await page.getByLabel(/What should we change/).fill('Open later on Fridays');
  await page.getByLabel('1st choice').selectOption({ label: 'Climbing wall' });
  await page.getByLabel('2nd choice').selectOption({ label: 'Beach' });
  await question(page, /How old are you/).getByLabel('13 to 15 years').check();
  await page.getByLabel('Where do you live?').selectOption({ label: 'Birmingham' });
  await page.getByLabel('I am a young carer').check();
}

test.describe('with JavaScript', () => {
  test('a young person answers every question type, keeps answers across a reload, and sends them', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1, name: 'Have your say' })).toBeVisible();
    await checkA11y(page);
    await fitsThePhone(page);

    await page.getByRole('link', { name: CLUB }).click();
    await expect(page.getByRole('heading', { level: 1, name: CLUB })).toBeVisible();
    // The island is awake once it has counted answers.
    await expect(page.locator('#progress-text')).toHaveText('0 of 7 answered');
    await checkA11y(page);
    await fitsThePhone(page);

    // Inline checks: nothing is sent, the problem is named and focused.
    const url = page.url();
    await page.getByRole('button', { name: 'Send my answers' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'Please check your answers' });
    await expect(summary).toBeVisible();
    await expect(summary).toContainText('Please answer “Which night should the club open?”');
    await expect(summary).toBeFocused();
    expect(page.url()).toBe(url);
    await checkA11y(page);

    await answerClubSurvey(page);
    await expect(page.locator('#progress-text')).toHaveText('7 of 7 answered');

    // A reload (or a dropped connection) loses nothing.
    await page.reload();
    await expect(page.locator('#progress-text')).toHaveText('7 of 7 answered');
    await expect(page.getByLabel(/What should we change/)).toHaveValue('Open later on Fridays');
    await expect(question(page, /Which night should the club open/).getByLabel('Friday')).toBeChecked();
    await expect(page.getByLabel('1st choice')).toHaveValue(/o\d/);

    await page.getByRole('button', { name: 'Send my answers' }).click();
    await expect(page.getByRole('heading', { level: 1, name: /Thank you/ })).toBeVisible();
    await expect(page.getByRole('main').getByRole('listitem').filter({ hasText: 'Childline' })).toContainText('0800 1111');
    await checkA11y(page);
    await fitsThePhone(page);
    // Sent answers are forgotten by the phone.
    await expect.poll(() => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('heard:')).length)).toBe(0);
  });

  test('on a shared phone, Start again clears what the last young person left, and old answers expire', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('link', { name: CLUB }).click();
    await expect(page.locator('#progress-text')).toHaveText('0 of 7 answered');
    await page.getByLabel(/What should we change/).fill('Someone else wrote this');
    await question(page, /Which night should the club open/).getByLabel('Friday').check();
    await page.reload();
    await expect(page.getByLabel(/What should we change/)).toHaveValue('Someone else wrote this');

    // The next young person starts again: nothing of the last one's is left.
    await page.getByRole('link', { name: 'Start again' }).click();
    await expect(page.locator('#progress-text')).toHaveText('0 of 7 answered');
    await expect(page.getByLabel(/What should we change/)).toHaveValue('');
    await expect(question(page, /Which night should the club open/).getByLabel('Friday')).not.toBeChecked();
    await checkA11y(page);

    // Answers left for more than two hours are not brought back.
    await page.getByLabel(/What should we change/).fill('Left a long time ago');
    await expect.poll(() => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('heard:')).length)).toBe(1);
    await page.evaluate(() => {
      for (const k of Object.keys(localStorage).filter((k) => k.startsWith('heard:'))) {
        const draft = JSON.parse(localStorage.getItem(k)!);
        draft.saved_at = Date.now() - 3 * 60 * 60 * 1000;
        localStorage.setItem(k, JSON.stringify(draft));
      }
    });
    await page.reload();
    await expect(page.locator('#progress-text')).toHaveText('0 of 7 answered');
    await expect(page.getByLabel(/What should we change/)).toHaveValue('');
  });

  test('the keyboard reaches every answer and the send button', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('link', { name: SAFETY }).click();
    await expect(page.locator('#progress-text')).toHaveText('0 of 7 answered');
    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
    await page.keyboard.press('Enter');
    const first = question(page, /How safe do you feel in the park/).getByLabel('1 – Very bad');
    await first.focus();
    await page.keyboard.press('ArrowRight');
    await expect(question(page, /How safe do you feel in the park/).getByLabel('2', { exact: true })).toBeChecked();
    await page.getByRole('button', { name: 'Send my answers' }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: /Thank you/ })).toBeVisible();
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the form posts, comes back with errors beside the questions and every answer kept, then sends', async ({ page, browserConsole }) => {
    browserConsole.allow(/status of 422/);
    await page.goto('/');
    await page.getByRole('link', { name: SAFETY }).click();
    await expect(page.getByRole('heading', { level: 1, name: SAFETY })).toBeVisible();

    await page.getByLabel(/Anything else you want us to know/).fill('The bus stop has no light');
    await question(page, /What would make you feel safer/).getByLabel('Better lights').check();
    await page.getByRole('button', { name: 'Send my answers' }).click();

    await expect(page).toHaveTitle(/^Error: /);
    const summary = page.locator('#error-summary');
    await expect(summary).toBeVisible();
    await expect(summary).toContainText('Please answer “How safe do you feel in the park after school?”');
    await expect(page.locator('.question.has-error')).toHaveCount(1);
    await expect(page.getByLabel(/Anything else you want us to know/)).toHaveValue('The bus stop has no light');
    await expect(question(page, /What would make you feel safer/).getByLabel('Better lights')).toBeChecked();

    await question(page, /How safe do you feel in the park/).getByLabel('3', { exact: true }).check();
    await question(page, /Do you know where to get help/).getByLabel('Yes').check();
    await question(page, /How do you usually get home/).getByLabel('Bus').check();
    await page.getByLabel('1st choice').selectOption({ label: 'School' });
    await page.getByLabel(/A place that feels unsafe/).fill('the underpass');
    await question(page, /How old are you/).getByLabel('Prefer not to say').check();
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await expect(page.getByRole('heading', { level: 1, name: /Thank you/ })).toBeVisible();
  });
});

test.describe('accessibility without JavaScript', () => {
  // axe needs script, so it cannot run where JavaScript is off. This context
  // blocks the app's own scripts instead: the pages are exactly what a phone
  // without JavaScript shows, and axe checks every one the journey visits.
  test('every page of the no-JavaScript journey passes axe', async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true });
    await context.route('**/pkg/*.{js,wasm}', (route) => route.abort());
    const page = await context.newPage();
    await page.goto('/');
    await checkA11y(page);
    await fitsThePhone(page);
    await page.getByRole('link', { name: SAFETY }).click();
    await checkA11y(page);
    await fitsThePhone(page);
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await expect(page.locator('#error-summary')).toBeVisible();
    await expect(page).toHaveTitle(/^Error: /);
    await checkA11y(page);
    await fitsThePhone(page);
    await question(page, /How safe do you feel in the park/).getByLabel('5 – Very good').check();
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await expect(page.getByRole('heading', { level: 1, name: /Thank you/ })).toBeVisible();
    await checkA11y(page);
    await fitsThePhone(page);
    await context.close();
  });
});
