import { test, expect, SECTIONS } from './fixtures';

test('home shows the five sections and at least ten article links', async ({ page }) => {
  const response = await page.goto('/');
  expect(response?.status()).toBe(200);
  const nav = page.locator('#hoofdmenu');
  for (const name of SECTIONS) {
    // On a phone the menu is folded away, but the links are there.
    await expect(nav.getByRole('link', { name, exact: true, includeHidden: true })).toHaveCount(1);
  }
  const hrefs = await page
    .locator('main a')
    .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  const articles = new Set(hrefs.filter((href) => /^\/[a-z-]+\/[a-z0-9-]+$/.test(href)));
  expect(articles.size).toBeGreaterThanOrEqual(10);
});

test('clicking a headline opens the article with lead, dateline and body', async ({ page }) => {
  await page.goto('/');
  const first = page.locator('.top-story .card-title a');
  const title = (await first.textContent())!.trim();
  await first.click();
  await expect(page.locator('article h1')).toHaveText(title);
  await expect(page.locator('.lead')).not.toBeEmpty();
  await expect(page.locator('.dateline')).toContainText('•');
  await expect(page.locator('.dateline time')).toHaveAttribute('datetime', /^\d{4}-\d\d-\d\dT/);
  await expect(page.locator('.article-body p').first()).not.toBeEmpty();
  await expect(page.locator('.article-body h2').first()).toBeVisible();
  await expect(page).toHaveTitle(new RegExp(title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
});

test('a section page pages through its articles', async ({ page }) => {
  await page.goto('/nieuws');
  await expect(page.locator('h1')).toHaveText('Nieuws');
  await expect(page.locator('.pagination')).toContainText('Pagina 1 van');
  const firstOnPageOne = await page.locator('.card-title a').first().textContent();
  await page.getByRole('link', { name: 'Volgende pagina' }).click();
  await expect(page).toHaveURL(/\/nieuws\?pagina=2$/);
  await expect(page.locator('.pagination')).toContainText('Pagina 2 van');
  expect(await page.locator('.card-title a').first().textContent()).not.toBe(firstOnPageOne);
  await page.getByRole('link', { name: 'Vorige pagina' }).click();
  await expect(page).toHaveURL(/\/nieuws$/);
});

test('an unknown address shows the Dutch 404 page with status 404', async ({ page }) => {
  const response = await page.goto('/dit/bestaat/niet');
  expect(response?.status()).toBe(404);
  await expect(page.locator('h1')).toHaveText('Pagina niet gevonden');
  const article = await page.goto('/nieuws/geen-bericht-met-deze-naam');
  expect(article?.status()).toBe(404);
});

test('an article reads the same with JavaScript off', async ({ page, browser }) => {
  await page.goto('/');
  const href = await page.locator('.top-story .card-title a').getAttribute('href');
  await page.goto(href!);
  const headline = await page.locator('article h1').textContent();
  const body = await page.locator('.article-body').innerText();

  const noJs = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noJs.newPage();
  await plain.goto(href!);
  await expect(plain.locator('article h1')).toHaveText(headline!);
  expect(await plain.locator('.article-body').innerText()).toBe(body);
  // Without JavaScript the section menu is simply open.
  await expect(plain.locator('#hoofdmenu')).toBeVisible();
  await noJs.close();
});

test('the menu button works once the page has hydrated', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto('/');
  // Only the hydrated island marks itself ready; before that the menu is a plain open list.
  await expect(page.locator('.menu[data-ready="true"]')).toHaveCount(1);
  const toggle = page.getByRole('button', { name: 'Menu' });
  const nav = page.locator('#hoofdmenu');
  await expect(nav).toBeHidden();
  await toggle.click();
  await expect(nav).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sluit menu' })).toHaveAttribute(
    'aria-expanded',
    'true',
  );
  await nav.getByRole('link', { name: 'Cultuur', exact: true }).click();
  await expect(page.locator('h1')).toHaveText('Cultuur');
});

test('an article page downloads at most 100 KB of JS and WASM, as the server sends it', async ({ page, browser }) => {
  // The bytes on the wire (the browser asks for brotli), not a recompression in the test.
  const sent: { url: string; encoding: string; bytes: number }[] = [];
  const pending: Promise<void>[] = [];
  page.on('requestfinished', (request) => {
    const url = request.url();
    if (/\.(js|wasm)(\?|$)/.test(url)) {
      pending.push(
        (async () => {
          const response = await request.response();
          const sizes = await request.sizes();
          sent.push({
            url,
            encoding: response?.headers()['content-encoding'] ?? 'identity',
            bytes: sizes.responseBodySize,
          });
        })(),
      );
    }
  });
  // The article is found in another context, so this page's first load is the article's, with
  // nothing in the browser's cache yet.
  const other = await browser.newContext();
  const home = await other.newPage();
  await home.goto('/');
  const href = await home.locator('.top-story .card-title a').getAttribute('href');
  await other.close();
  await page.goto(href!, { waitUntil: 'networkidle' });
  await expect(page.locator('.menu[data-ready="true"]')).toHaveCount(1);
  await Promise.all(pending);
  expect(sent.some((s) => s.url.endsWith('.wasm')), 'the WASM bundle was loaded').toBe(true);
  for (const s of sent) {
    expect(s.encoding, `${s.url} is sent precompressed`).toBe('br');
  }
  const total = sent.reduce((sum, s) => sum + s.bytes, 0);
  console.log(
    `JS+WASM as sent: ${sent.map((s) => `${s.url.split('/').pop()} ${s.bytes} B ${s.encoding}`).join(', ')}; total ${total} B`,
  );
  expect(total).toBeLessThanOrEqual(100 * 1024);
});
