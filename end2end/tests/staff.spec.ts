import { test, expect, checkA11y, fitsThePhone, WORKER } from './fixtures';
import type { Page } from '@playwright/test';

async function signIn(page: Page) {
  await page.goto('/staff');
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await checkA11y(page);
  await page.getByLabel('Email address').fill(WORKER.email);
  await page.getByLabel('Password').fill(WORKER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Surveys' })).toBeVisible();
}

const questions: Array<{ kind: string; prompt: string; options?: string; picks?: string }> = [
  { kind: 'Single choice', prompt: 'Which room should we paint?', options: 'Main hall\nKitchen' },
  { kind: 'Multiple choice', prompt: 'Which colours do you like?', options: 'Blue\nGreen\nOrange', picks: '2' },
  { kind: 'Scale 1 to 5', prompt: 'How do you rate the hall?' },
  { kind: 'Yes / no / not sure', prompt: 'Would you help paint?' },
  { kind: 'Short text', prompt: 'Name the room' },
  { kind: 'Long text', prompt: 'Anything else?' },
  { kind: 'Ranking', prompt: 'Rank the jobs', options: 'Painting\nCleaning\nMusic' },
];

test('a youth worker builds a survey with every question type, opens it, and sees the answers', async ({ page, browser, browserConsole }) => {
  browserConsole.allow(/status of 422/);
  await signIn(page);
  await checkA11y(page);
  await fitsThePhone(page);

  await page.getByLabel('Title').fill('Painting the youth club');
  await page.getByRole('button', { name: 'Create survey' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Painting the youth club' })).toBeVisible();
  await checkA11y(page);

  // A mistake is explained and what was typed is kept.
  const add = page.locator('#add-question');
  await add.getByLabel('Type of question').selectOption({ label: 'Single choice' });
  await add.getByLabel('Question', { exact: true }).fill('Only one option?');
  await add.getByLabel(/^Options, one per line/).fill('Just this');
  await add.getByRole('button', { name: 'Add question' }).click();
  await expect(page.locator('#add-question')).toContainText('Give at least two options, one per line.');
  await expect(page.locator('#add-question').getByLabel('Question', { exact: true })).toHaveValue('Only one option?');
  await checkA11y(page);

  for (const q of questions) {
    const form = page.locator('#add-question');
    await form.getByLabel('Type of question').selectOption({ label: q.kind });
    await form.getByLabel('Question', { exact: true }).fill(q.prompt);
    await form.getByLabel(/^Options, one per line/).fill(q.options ?? '');
    await form.getByLabel(/^Most picks allowed/).fill(q.picks ?? '');
    await form.getByRole('button', { name: 'Add question' }).click();
    await expect(page.getByRole('heading', { level: 3, name: new RegExp(q.prompt.replace('?', '\\?')) })).toBeVisible();
  }
  await page.getByRole('button', { name: 'Move up question 2' }).click();
  await expect(page.locator('.question-editor h3').first()).toContainText('Which colours do you like?');

  await page.getByRole('link', { name: 'Preview' }).click();
  await expect(page.getByText('Answers can\'t be sent from here.').first()).toBeVisible();
  await checkA11y(page);
  await page.getByRole('link', { name: 'Back to the survey' }).click();

  await page.getByRole('button', { name: 'Open survey' }).click();
  const link = page.locator('a.public-link');
  await expect(link).toBeVisible();
  const href = await link.getAttribute('href');
  await checkA11y(page);
  await fitsThePhone(page);

  // A young person on their own phone.
  const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const young = await phone.newPage();
  await young.goto(href!);
  await expect(young.locator('#progress-text')).toHaveText('0 of 7 answered');
  await young.getByRole('group', { name: /Which colours do you like/ }).getByLabel('Blue').check();
  await young.getByRole('group', { name: /Which room should we paint/ }).getByLabel('Kitchen').check();
  await young.getByRole('group', { name: /How do you rate the hall/ }).getByLabel('5 – Very good').check();
  await young.getByRole('group', { name: /Would you help paint/ }).getByLabel('Yes').check();
  await young.getByLabel(/Name the room/).fill('The Den');
  await young.getByLabel(/Anything else/).fill('Please add beanbags');
  await young.getByLabel('1st choice').selectOption({ label: 'Music' });
  await young.getByRole('button', { name: 'Send my answers' }).click();
  await expect(young.getByRole('heading', { level: 1, name: /Thank you/ })).toBeVisible();
  await phone.close();

  await page.getByRole('link', { name: 'Results' }).click();
  await expect(page.locator('#results-summary')).toContainText('1 response. The last came in');
  await expect(page.getByText('Please add beanbags')).toBeVisible();
  await expect(page.getByRole('img', { name: /Which room should we paint\?.*Kitchen: 1 \(100%\)/ })).toBeVisible();
  await checkA11y(page);
  await fitsThePhone(page);

  await page.getByRole('link', { name: 'Back to the survey' }).click();
  await page.getByRole('button', { name: 'Close survey' }).click();
  await expect(page.locator('.status').first()).toHaveText('Closed');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
});

test('sign-in failures say only that the details were not recognised', async ({ page, browserConsole }) => {
  browserConsole.allow(/status of 401/);
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(WORKER.email);
  await page.getByLabel('Password').fill('not the right password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Email or password not recognised.');
  await expect(page.getByLabel('Email address')).toHaveValue(WORKER.email);
  await checkA11y(page);
});

test('an administrator looks after the list of areas', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill('admin@heard.example');
  await page.getByLabel('Password').fill('demo-admin-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await checkA11y(page);
  await fitsThePhone(page);
  await page.getByRole('link', { name: 'Manage areas' }).click();
  await expect(page.getByRole('heading', { level: 2, name: '153 areas' })).toBeVisible();
  await checkA11y(page);
  await fitsThePhone(page);
  await page.getByLabel('ONS code').fill('E06000099');
  await page.getByLabel('Name').fill('Newtown');
  await page.getByRole('button', { name: 'Save area' }).click();
  await expect(page.getByRole('heading', { level: 2, name: '154 areas' })).toBeVisible();
  await page.getByRole('button', { name: 'Retire Newtown' }).click();
  await expect(page.getByRole('button', { name: 'Offer again Newtown' })).toBeVisible();

  // The audit log: every account action, readable by administrators only.
  await page.getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: 'Added an account' }).first()).toBeVisible();
  await checkA11y(page);
  await fitsThePhone(page);
});

test('an address nobody serves is a page with a way home', async ({ page, browserConsole }) => {
  browserConsole.allow(/status of 404/);
  const res = await page.goto('/no/such/page');
  expect(res?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  await checkA11y(page);
  await fitsThePhone(page);
  await page.getByRole('link', { name: 'home page' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Have your say' })).toBeVisible();
});

test('an organisation admin adds a colleague, who replaces the one-time password, and later removes their access', async ({ page, browser, browserConsole }) => {
  browserConsole.allow(/status of 422/);
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill('manager@heard.example');
  await page.getByLabel('Password').fill('demo-manager-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Team: who can sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Team' })).toBeVisible();
  await checkA11y(page);
  await fitsThePhone(page);

  // A typo the browser lets through is named by the server, with what was typed kept.
  await page.getByLabel('Email address').fill('robin@northfield');
  await page.getByRole('button', { name: 'Add and show their one-time password' }).click();
  await expect(page.getByRole('alert')).toContainText('Enter an email address like name@example.org.');
  await expect(page.getByLabel('Email address')).toHaveValue('robin@northfield');
  await checkA11y(page);

  await page.getByLabel('Email address').fill('robin@northfield.example');
  await page.getByLabel('What they will do').selectOption({ label: 'Youth worker' });
  await page.getByRole('button', { name: 'Add and show their one-time password' }).click();
  const issued = page.getByRole('status');
  await expect(issued).toContainText('One-time password for robin@northfield.example');
  const given = (await issued.locator('code').textContent())!.trim();
  expect(given).toHaveLength(20);
  await checkA11y(page);
  await fitsThePhone(page);

  // Robin, on their own phone, must choose their own password first.
  const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const robin = await phone.newPage();
  await robin.goto('/sign-in');
  await robin.getByLabel('Email address').fill('robin@northfield.example');
  await robin.getByLabel('Password').fill(given);
  await robin.getByRole('button', { name: 'Sign in' }).click();
  await expect(robin.getByRole('heading', { level: 1, name: 'Choose your password' })).toBeVisible();
  await checkA11y(robin);
  await robin.getByLabel('Current password').fill(given);
  await robin.getByLabel('New password', { exact: true }).fill('robin chooses this one');
  await robin.getByLabel('New password again').fill('robin chooses this one');
  await robin.getByRole('button', { name: 'Save password' }).click();
  await expect(robin.getByRole('heading', { level: 1, name: 'Surveys' })).toBeVisible();

  // Robin leaves: their access goes, and their open session with it.
  await page.goto('/staff/team');
  const row = page.getByRole('listitem').filter({ hasText: 'robin@northfield.example' });
  await expect(row).toContainText('Can sign in');
  await page.getByRole('button', { name: 'Remove access for robin@northfield.example' }).click();
  await expect(page.getByRole('listitem').filter({ hasText: 'robin@northfield.example' })).toContainText('Access removed');
  await checkA11y(page);
  await robin.reload();
  await expect(robin).toHaveURL(/\/sign-in\?next=/);
  await phone.close();
});

test('an administrator adds an organisation and says which area it works in', async ({ page, browserConsole }) => {
  browserConsole.allow(/status of 422/);
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill('admin@heard.example');
  await page.getByLabel('Password').fill('demo-admin-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Staff' }).getByRole('link', { name: 'Organisations' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Organisations' })).toBeVisible();
  await checkA11y(page);
  await fitsThePhone(page);

  await page.getByRole('button', { name: 'Add organisation' }).click();
  await expect(page.getByRole('alert')).toContainText('Give the organisation a name');
  await checkA11y(page);

  await page.getByLabel('Name', { exact: true }).fill('Riverside Youth Club');
  await page.getByLabel('Kind').selectOption({ label: 'Charity or community group' });
  await page.getByLabel('Area it works in').selectOption({ label: 'Coventry' });
  await page.getByRole('button', { name: 'Add organisation' }).click();
  const card = page.getByRole('listitem').filter({ hasText: 'Riverside Youth Club' });
  await expect(card).toContainText('Works in Coventry');
  const change = page.getByRole('region', { name: 'Change where an organisation works' });
  await change.getByLabel('Organisation').selectOption({ label: 'Riverside Youth Club' });
  await change.getByLabel('New area').selectOption({ label: 'Birmingham' });
  await change.getByRole('button', { name: 'Save area' }).click();
  await expect(page.getByRole('listitem').filter({ hasText: 'Riverside Youth Club' })).toContainText('Works in Birmingham');
  await checkA11y(page);
  await fitsThePhone(page);
});
