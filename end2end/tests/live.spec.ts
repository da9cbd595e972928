import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';
import { DEMO_PASSWORD } from '../playwright.config';

const EDITOR = 'redactie@lindewijk.example';

async function logIn(page: Page) {
  await page.goto('/redactie/inloggen');
  await page.getByLabel('E-mailadres').fill(EDITOR);
  await page.getByLabel('Wachtwoord').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await expect(page.getByRole('heading', { name: 'Overzicht' })).toBeVisible();
}

/** The site has one banner: projects running in parallel take turns with it. */
async function withBannerLock(work: () => Promise<void>) {
  const lock = path.join(os.tmpdir(), 'zender-e2e-banner.lock');
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    await work();
  } finally {
    fs.rmdirSync(lock);
  }
}

// Not yet: the live islands are off the reader pages until they fit the WASM budget (issue 4).
test.fixme('a ticker post and a banner reach an open reader page without reload', async ({ page, browser }, testInfo) => {
  await page.goto('/nieuws');
  // Hydrated: the reload link of the script-less page is hidden, the stream is open.
  await expect(page.locator('.ticker-reload')).toBeHidden();
  const editorContext = await browser.newContext();
  const editor = await editorContext.newPage();
  await logIn(editor);
  await editor.goto('/redactie/live');

  const text = `Tickertest ${testInfo.project.name} ${Date.now().toString(36)}`;
  await editor.getByLabel(/^Bericht \*/).fill(text);
  await editor.getByRole('button', { name: 'Plaatsen' }).click();
  await expect(editor.getByRole('status')).toHaveText('Geplaatst: het bericht staat in de ticker.');
  // Ready for the next post at once.
  await expect(editor.getByLabel(/^Bericht \*/)).toBeFocused();
  await expect(editor.getByLabel(/^Bericht \*/)).toHaveValue('');
  await expect(page.locator('.ticker-list')).toContainText(text, { timeout: 2000 });
  await expect(page.locator('.ticker-list [aria-live], .ticker-list')).toHaveAttribute('aria-live', 'polite');

  await withBannerLock(async () => {
    const banner = `Bannertest ${testInfo.project.name} ${Date.now().toString(36)}`;
    await editor.getByLabel('Tekst van de banner *').fill(banner);
    await editor.getByRole('button', { name: 'Banner tonen' }).click();
    await expect(page.locator('.breaking')).toContainText(banner, { timeout: 2000 });
    await editor.getByRole('button', { name: 'Banner beëindigen' }).click();
    await expect(page.locator('.breaking', { hasText: banner })).toHaveCount(0, { timeout: 2000 });
  });

  // Removing the post takes it off the open page too.
  const item = editor.locator('.live-items li', { hasText: text });
  await item.getByRole('button', { name: 'Verwijderen' }).click();
  await expect(page.locator('.ticker-list')).not.toContainText(text, { timeout: 2000 });
  await editorContext.close();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the page shows the latest ticker items and a link that reloads', async ({ page }) => {
    await page.goto('/cultuur');
    await expect(page.locator('.ticker-item').first()).toBeVisible();
    expect(await page.locator('.ticker-item').count()).toBeGreaterThanOrEqual(3);
    await expect(page.getByRole('link', { name: 'Vernieuwen' })).toBeVisible();
  });
});
