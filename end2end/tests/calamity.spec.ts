import AxeBuilder from '@axe-core/playwright';
import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';
import { DEMO_PASSWORD } from '../playwright.config';

// These run on a server of their own (see playwright.config.ts): calamity mode changes every
// page of the site. The mobile run follows the desktop one, each switching the mode on and off.

async function logIn(page: Page) {
  await page.goto('/redactie/inloggen');
  await page.getByLabel('E-mailadres').fill('redactie@lindewijk.example');
  await page.getByLabel('Wachtwoord').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await expect(page.getByRole('heading', { name: 'Overzicht' })).toBeVisible();
}

test('an editor switches calamity mode on, readers see it at once, and the emergency page is light and accessible', async ({ page, browser }, testInfo) => {
  const title = `Gaslek bij de Lindeschool (${testInfo.project.name})`;
  // A reader with the site open.
  await page.goto('/nieuws');
  await expect(page.locator('.ticker .live-reload')).toBeHidden();
  await expect(page.locator('.calamity-strip')).toHaveCount(0);

  const editorContext = await browser.newContext();
  const editor = await editorContext.newPage();
  await logIn(editor);
  await editor.goto('/redactie/calamiteit');
  await editor.getByLabel('Titel *').fill(title);
  await editor.getByLabel('Getroffen gemeenten of gebieden *').fill('Lindewijk-Centrum');
  await editor.getByRole('button', { name: 'Controleren' }).click();
  // Confirmed twice: the box, then the word.
  await expect(editor.getByRole('heading', { name: /Bevestig twee keer/ })).toBeVisible();
  await editor.getByLabel(/de hele site nu de calamiteitenpagina wordt/).check();
  await editor.getByLabel(/Typ AAN om te bevestigen/).fill('AAN');
  await editor.getByRole('button', { name: 'Calamiteitmodus aanzetten' }).click();
  await expect(editor.getByRole('status')).toContainText('Calamiteitmodus staat aan');

  // The open page gets the strip without a reload, announced once.
  const strip = page.locator('.calamity-strip');
  await expect(strip).toContainText(title, { timeout: 2000 });
  await expect(strip.getByRole('alert')).toHaveCount(1);

  // An official message, apart from the newsroom's copy.
  await editor.getByLabel('Van *').selectOption('gemeente');
  await editor.getByLabel('Bron *').fill('Gemeente Lindewijk');
  await editor.getByLabel(/^Tekst \*/).fill('Omwonenden van de Lindeschool worden geëvacueerd naar sporthal De Linde.');
  await editor.getByRole('button', { name: 'Bericht plaatsen' }).click();
  await expect(editor.getByRole('status')).toContainText('officiële bericht staat op de site');

  // A reader without JavaScript gets the calamity home.
  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noScript.newPage();
  await plain.goto('/');
  await expect(plain.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(plain.getByRole('heading', { name: 'Officiële berichten' })).toBeVisible();
  await expect(plain.getByText('Officiële informatie van Gemeente Lindewijk')).toBeVisible();
  await noScript.close();

  // The text-only page: one round trip (at most 14 KB as sent, brotli), nothing to run.
  const sent: number[] = [];
  page.on('requestfinished', async (request) => {
    if (new URL(request.url()).pathname === '/calamiteit') {
      sent.push((await request.sizes()).responseBodySize);
    }
  });
  const response = await page.goto('/calamiteit');
  expect(response?.headers()['content-encoding']).toBe('br');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.getByText('sporthal De Linde')).toBeVisible();
  await expect(page.locator('script[src], img, link[rel="stylesheet"]')).toHaveCount(0);
  await expect.poll(() => sent.length).toBe(1);
  expect(sent[0]).toBeLessThanOrEqual(14 * 1024);
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);

  // Switched off: the site is itself again; the calamity stays as its archive page.
  await page.goto('/nieuws');
  await expect(page.locator('.ticker .live-reload')).toBeHidden();
  await editor.goto('/redactie/calamiteit');
  await editor.getByLabel('De calamiteit is voorbij').check();
  await editor.getByRole('button', { name: 'Calamiteitmodus uitzetten' }).click();
  await expect(editor.getByRole('status')).toContainText('staat uit');
  await expect(page.locator('.calamity-strip')).toHaveCount(0, { timeout: 2000 });
  await page.goto('/calamiteit/archief');
  await expect(page.getByRole('link', { name: title })).toBeVisible();
  await editorContext.close();
});
