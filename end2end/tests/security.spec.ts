import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';
import { DEMO_PASSWORD } from '../playwright.config';

const ARTICLE =
  '/nieuws/gemeenteraad-lindewijk-neemt-begroting-aan-na-lang-debat-over-ozb-verhoging';

/** Opens `path`, checks it came with a nonce policy, and waits for its islands to hydrate. */
async function openHydrated(page: Page, path: string) {
  const response = await page.goto(path);
  const policy = (await response?.headerValue('content-security-policy')) ?? '';
  expect(policy, path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9_-]{16,}' 'wasm-unsafe-eval'/);
  // The menu island marks itself ready only once its WebAssembly runs.
  await expect(page.locator('.menu[data-ready="true"]'), path).toHaveCount(1);
}

test('every reader page hydrates under the Content Security Policy', async ({ page }) => {
  await openHydrated(page, ARTICLE);
  const tag = await page.locator('a[href^="/tag/"]').first().getAttribute('href');
  const author = await page.locator('a[href^="/auteur/"]').first().getAttribute('href');
  const correction = await page.locator('a[href^="/correctie/"]').first().getAttribute('href');
  for (const path of ['/', '/nieuws', '/cultuur', tag!, author!, correction!, '/tip', '/zoeken?q=park']) {
    await openHydrated(page, path);
  }
  // The lazy islands load their own parts of the WebAssembly on demand, under the same policy.
  await expect(page.locator('#zoekformulier[data-ready]')).toBeAttached();
});

test('every newsroom page hydrates under the Content Security Policy', async ({ page }) => {
  await page.goto('/redactie/inloggen');
  await page.getByLabel('E-mailadres').fill('redactie@lindewijk.example');
  await page.getByLabel('Wachtwoord').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await expect(page).toHaveURL(/\/redactie$/);
  for (const path of [
    '/redactie',
    '/redactie/artikelen',
    '/redactie/artikelen/nieuw',
    '/redactie/live',
    '/redactie/reacties',
    '/redactie/inbox',
    '/redactie/wachtwoord',
  ]) {
    await openHydrated(page, path);
  }
});
