import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';
import { DEMO_PASSWORD } from '../playwright.config';

const ARTICLE = '/nieuws/gemeenteraad-lindewijk-neemt-begroting-aan-na-lang-debat-over-ozb-verhoging';

async function logIn(page: Page) {
  await page.goto('/redactie/inloggen');
  await page.getByLabel('E-mailadres').fill('redactie@lindewijk.example');
  await page.getByLabel('Wachtwoord').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await expect(page.getByRole('heading', { name: 'Overzicht' })).toBeVisible();
}

/** Waits until the form's island has attached (and the server's one-second minimum has passed). */
async function formReady(page: Page) {
  await expect(page.locator('form.comment-form[data-ready]')).toBeAttached();
  await page.waitForTimeout(1100);
}

test('the form explains problems as the reader types and focuses the first one on send', async ({ page }) => {
  await page.goto(ARTICLE);
  await formReady(page);
  const name = page.getByRole('textbox', { name: /^Naam/ });
  const email = page.getByRole('textbox', { name: /^E-mailadres/ });
  const body = page.getByRole('textbox', { name: /^Reactie/ });
  // Nothing shows while the page loads.
  await expect(page.locator('#fout-naam')).toBeEmpty();

  await name.fill('A');
  await email.focus();
  await expect(page.locator('#fout-naam')).toHaveText('Je naam is te kort: minstens 2 tekens.');
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await name.fill('Anouk');
  await expect(page.locator('#fout-naam')).toBeEmpty();
  await expect(name).not.toHaveAttribute('aria-invalid', 'true');

  await body.fill('Mooi stuk over de raad.');
  await expect(page.locator('#teller-bericht')).toHaveText('23 van 2000 tekens');

  // The e-mail address is missing: the send stops there, with the focus on it.
  await page.getByRole('button', { name: 'Plaats reactie' }).click();
  await expect(email).toBeFocused();
  await expect(page.locator('#fout-email')).toContainText('Vul je e-mailadres in');
  await expect(page).toHaveURL(ARTICLE);
});

test('an approved comment and reply reach an open page without reload, as inert text, nested', async ({ page, browser }, testInfo) => {
  await page.goto(ARTICLE);
  const count = page.locator('.comment-count');
  const before = await count.textContent();

  // A second reader replies to a comment.
  const readerContext = await browser.newContext();
  const reader = await readerContext.newPage();
  await reader.goto(ARTICLE);
  await formReady(reader);
  const henk = reader.locator('.comment', { hasText: 'Henk Sloot' }).first();
  await henk.getByRole('link', { name: /Reageer/ }).first().click();
  await expect(reader.locator('#reageert-op')).toHaveText(/Je reageert op Henk Sloot\./);
  const marker = `Antwoord ${testInfo.project.name} ${Date.now().toString(36)}`;
  const text = `${marker} <img src=x onerror="window.__xss=1">`;
  await reader.getByRole('textbox', { name: /^Naam/ }).fill('Lezer Twee');
  await reader.getByRole('textbox', { name: /^E-mailadres/ }).fill('lezer.twee@voorbeeld.nl');
  await reader.getByRole('textbox', { name: /^Reactie/ }).fill(text);
  await reader.getByRole('button', { name: 'Plaats reactie' }).click();
  await expect(reader.getByRole('status')).toContainText('wacht op goedkeuring');
  await readerContext.close();

  const editorContext = await browser.newContext();
  const editor = await editorContext.newPage();
  await logIn(editor);
  await editor.goto('/redactie/reacties');
  const item = editor.locator('.queue-item', { hasText: text });
  await expect(item).toContainText('reageert op Henk Sloot');
  await item.getByRole('button', { name: 'Goedkeuren' }).click();
  await expect(editor.getByRole('status')).toContainText('goedgekeurd');
  await editorContext.close();

  // The first reader's page: the reply appears under Henk's comment, as text.
  const reply = page.locator('.comment', { hasText: 'Henk Sloot' }).first().locator('.comment-replies .comment', { hasText: marker });
  await expect(reply).toBeVisible({ timeout: 2000 });
  await expect(reply).toContainText('<img src=x onerror="window.__xss=1">');
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  await expect(count).not.toHaveText(before ?? '');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a refused comment comes back with the message and the text kept', async ({ page }) => {
    await page.goto(ARTICLE);
    await page.waitForTimeout(1100);
    await page.getByRole('textbox', { name: /^Naam/ }).fill('Jan Zonder Script');
    await page.getByRole('textbox', { name: /^E-mailadres/ }).fill('jan-at-voorbeeld');
    await page.getByRole('textbox', { name: /^Reactie/ }).fill('Dit wil ik kwijt over de begroting.');
    await page.getByRole('button', { name: 'Plaats reactie' }).click();
    await expect(page.locator('#fout-email')).toHaveText('Dit lijkt geen e-mailadres. Voorbeeld: naam@voorbeeld.nl');
    // Focus lands on the first problem, even without JavaScript.
    await expect(page.getByRole('textbox', { name: /^E-mailadres/ })).toBeFocused();
    await expect(page.getByRole('textbox', { name: /^Reactie/ })).toHaveValue('Dit wil ik kwijt over de begroting.');
    await expect(page.getByRole('textbox', { name: /^Naam/ })).toHaveValue('Jan Zonder Script');
  });
});
