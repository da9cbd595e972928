import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test, expect } from './fixtures';
import type { Browser, Page } from '@playwright/test';
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
  // In this run's data directory, so a lock left by a killed run cannot hold up the next.
  const lock = path.join(process.env.ZENDER_E2E_DATA_DIR ?? os.tmpdir(), 'zender-e2e-banner.lock');
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

test('a ticker post and a banner reach an open reader page without reload', async ({ page, browser }, testInfo) => {
  await page.goto('/nieuws');
  // Hydrated: the reload link of the script-less page is hidden, the stream is open.
  await expect(page.locator('.ticker .live-reload')).toBeHidden();
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
  await expect(page.locator('.ticker-list')).toHaveAttribute('aria-live', 'polite');

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

const STORM = 'Storm velt tientallen bomen in Meerveld en Hooghuizen, geen gewonden';

test('a live-blog update reaches an open article page, and a scrolled reader gets a button instead of a jump', async ({ page, browser }, testInfo) => {
  // A banner shown or ended by the other project's ticker test would move the page above the
  // reader (the browser's scroll anchoring then changes scrollY): this test holds the banner.
  await withBannerLock(() => liveBlogTest(page, browser, testInfo.project.name));
});

async function liveBlogTest(page: Page, browser: Browser, project: string) {
  // The demo's running blog.
  await page.goto('/');
  await page.getByRole('link', { name: STORM }).first().click();
  await expect(page.locator('.liveblog .live-flag')).toBeVisible();
  await expect(page.locator('.liveblog .live-reload')).toBeHidden();
  await expect(page.locator('.liveblog-pinned')).toContainText('Meld het bij uw verzekeraar');

  const editorContext = await browser.newContext();
  const editor = await editorContext.newPage();
  await logIn(editor);
  await editor.goto('/redactie/live');
  await editor.getByRole('link', { name: STORM }).click();
  await expect(editor.getByRole('heading', { name: 'Update plaatsen' })).toBeVisible();

  const first = `Liveblogtest ${project} ${Date.now().toString(36)}`;
  await editor.getByLabel(/^Update \*/).fill(first);
  await editor.getByRole('button', { name: 'Update plaatsen' }).click();
  await expect(editor.getByRole('status')).toHaveText('Geplaatst: de update staat bovenaan het liveblog.');
  await expect(editor.getByLabel(/^Update \*/)).toBeFocused();
  const newUpdate = page.locator('.liveblog-posts .live-post', { hasText: first });
  await expect(newUpdate).toBeVisible({ timeout: 2000 });

  // Only key events: the filter needs no reload.
  await page.getByLabel('Alleen hoofdpunten').check();
  await expect(newUpdate).toBeHidden();
  await expect(page.locator('.live-post.is-key').first()).toBeVisible();
  await page.getByLabel('Alleen hoofdpunten').uncheck();
  await expect(newUpdate).toBeVisible();

  // A reader who has scrolled into the blog keeps their place.
  await page.evaluate(() => {
    document.body.style.paddingBottom = '200vh';
    const list = document.querySelector('.liveblog-posts')!;
    window.scrollTo(0, window.scrollY + list.getBoundingClientRect().top + 200);
  });
  const scrolledTo = await page.evaluate(() => window.scrollY);
  const second = `Tweede liveblogtest ${project} ${Date.now().toString(36)}`;
  await editor.getByLabel(/^Update \*/).fill(second);
  await editor.getByRole('button', { name: 'Update plaatsen' }).click();
  const more = page.getByRole('button', { name: /\d+ nieuwe updates?/ });
  await expect(more).toBeVisible({ timeout: 2000 });
  await expect(page.locator('.live-post', { hasText: second })).toBeHidden();
  expect(await page.evaluate(() => window.scrollY)).toBe(scrolledTo);
  await more.click();
  await expect(page.locator('.live-post', { hasText: second })).toBeVisible();
  await expect(more).toBeHidden();
  await editorContext.close();
}

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('an article page shows its live blog, newest first, with the pinned update on top', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('link', { name: STORM }).first().click();
    await expect(page.locator('.liveblog-pinned .live-post')).toContainText('Meld het bij uw verzekeraar');
    const times = await page.locator('.liveblog-posts .live-post time').allTextContents();
    expect(times.length).toBeGreaterThanOrEqual(4);
    await expect(page.locator('.liveblog').getByRole('link', { name: 'Vernieuwen' })).toBeVisible();
    // The key-event filter is plain CSS: it works without JavaScript too.
    await page.getByLabel('Alleen hoofdpunten').check();
    await expect(page.locator('.live-post:not(.is-key)').first()).toBeHidden();
  });

  test('the page shows the latest ticker items and a link that reloads', async ({ page }) => {
    await page.goto('/cultuur');
    await expect(page.locator('.ticker-item').first()).toBeVisible();
    expect(await page.locator('.ticker-item').count()).toBeGreaterThanOrEqual(3);
    await expect(page.getByRole('link', { name: 'Vernieuwen' })).toBeVisible();
  });
});
