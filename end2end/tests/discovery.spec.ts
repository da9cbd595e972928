import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';
import { DEMO_PASSWORD } from '../playwright.config';

const TAALCAFE = /Taalcafé in Ganzenvoort/;

async function logIn(page: Page) {
  await page.goto('/redactie/inloggen');
  await page.getByLabel('E-mailadres').fill('redactie@lindewijk.example');
  await page.getByLabel('Wachtwoord').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await expect(page.getByRole('heading', { name: 'Overzicht' })).toBeVisible();
}

test('search from the header finds a demo article by a word without its accent', async ({ page }) => {
  await page.goto('/');
  const box = page.getByRole('searchbox', { name: 'Zoeken' });
  await box.fill('taalcafe');
  await box.press('Enter');
  await expect(page).toHaveURL(/\/zoeken\?q=taalcafe$/);
  const first = page.locator('.search-hit').first();
  await expect(first.getByRole('link')).toHaveText(TAALCAFE);
  await expect(first.locator('mark').first()).toHaveText('Taalcafé');
  await first.getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(TAALCAFE);
});

test('results follow the typing without a reload, and the address follows the results', async ({ page }) => {
  await page.goto('/zoeken');
  await expect(page.locator('#zoekformulier[data-ready]')).toBeAttached();
  const field = page.getByRole('searchbox', { name: 'Zoek in alle artikelen' });
  await field.pressSequentially('premiere', { delay: 40 });
  await expect(page.locator('.search-count')).toContainText("gevonden voor ‘premiere’");
  await expect(page.locator('.search-hit mark').first()).toContainText(/Première|première/);
  await expect(page).toHaveURL(/\/zoeken\?q=premiere$/);
  await field.fill('xylofoonbrommer');
  await expect(page.getByRole('heading', { name: /Niets gevonden voor ‘xylofoonbrommer’/ })).toBeVisible();
  await expect(page.locator('#zoekstatus')).toHaveText(/Niets gevonden/);
});

test('the tip form checks as you type, sends, and the tip lands in the inbox', async ({ page }, testInfo) => {
  const message = `Bij de Molenbrug ligt sinds vanochtend een boot dwars (${testInfo.project.name}, ${Date.now()}).`;
  await page.goto('/tip');
  await expect(page.locator('form.tip-form[data-ready]')).toBeAttached();
  const name = page.getByRole('textbox', { name: /^Naam/ });
  const email = page.getByRole('textbox', { name: 'E-mailadres' });
  const phone = page.getByRole('textbox', { name: 'Telefoonnummer' });
  const tip = page.getByRole('textbox', { name: /^Je tip/ });

  // Sending an empty form stops at the first problem.
  await page.getByRole('button', { name: 'Tip versturen' }).click();
  await expect(name).toBeFocused();
  await expect(page.locator('#tip-naam-fout')).toHaveText('Vul je naam in.');
  await expect(page.locator('#tip-email-fout')).toContainText('Vul een e-mailadres of een telefoonnummer in');
  await expect(page).toHaveURL(/\/tip$/);

  await name.fill('Petra de Vries');
  await expect(page.locator('#tip-naam-fout')).toBeEmpty();
  await phone.fill('bel me');
  await tip.focus();
  await expect(page.locator('#tip-telefoon-fout')).toContainText('Dit lijkt geen telefoonnummer');
  await phone.fill('06 12345678');
  await expect(page.locator('#tip-telefoon-fout')).toBeEmpty();
  await expect(page.locator('#tip-email-fout')).toBeEmpty();
  await expect(email).not.toHaveAttribute('aria-invalid', 'true');
  await tip.fill(message);
  // The server refuses forms sent back within a second of loading.
  await page.waitForTimeout(1100);
  await page.getByRole('button', { name: 'Tip versturen' }).click();
  await expect(page.getByText('Bedankt voor je tip!')).toBeVisible();

  await logIn(page);
  await page.getByRole('link', { name: 'Inbox', exact: true }).click();
  const item = page.locator('.inbox-item', { hasText: message });
  await expect(item).toBeVisible();
  await expect(item.getByRole('link', { name: '06 12345678' })).toHaveAttribute('href', 'tel:0612345678');
  await item.getByRole('button', { name: 'Afgehandeld' }).click();
  await expect(page.getByText('Gemarkeerd als afgehandeld.')).toBeVisible();
  await expect(page.locator('.inbox-item', { hasText: message })).toHaveCount(0);
});

test('"Foutje gezien?" under an article sends a correction tied to it', async ({ page }, testInfo) => {
  const note = `De bijeenkomst is op dinsdag, niet op maandag (${testInfo.project.name}, ${Date.now()}).`;
  await page.goto('/');
  await page.getByRole('searchbox', { name: 'Zoeken' }).fill('taalcafe');
  await page.getByRole('searchbox', { name: 'Zoeken' }).press('Enter');
  await page.locator('.search-hit').first().getByRole('link').click();
  await expect(page.getByText('Heb jij een tip?')).toBeVisible();
  await page.getByRole('link', { name: /Foutje gezien\?/ }).click();
  await expect(page.getByRole('link', { name: TAALCAFE })).toBeVisible();
  await page.getByRole('textbox', { name: /^Wat klopt er niet\?/ }).fill(note);
  await page.waitForTimeout(1100);
  await page.getByRole('button', { name: 'Versturen' }).click();
  await expect(page.getByText(/Bedankt! De redactie kijkt ernaar/)).toBeVisible();

  await logIn(page);
  await page.goto('/redactie/inbox');
  const item = page.locator('.inbox-item', { hasText: note });
  await expect(item.getByRole('link', { name: TAALCAFE })).toBeVisible();
  await expect(item.locator('.inbox-kind')).toHaveText('Correctie');
});
