import { test, expect } from './fixtures';
import type { Page, TestInfo } from '@playwright/test';
import { DEMO_PASSWORD } from '../playwright.config';

const EDITOR = 'redactie@lindewijk.example';
const CONTRIBUTOR = 'medewerker@lindewijk.example';

async function logIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto('/redactie/inloggen');
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
}

/** A headline no other test (or project running in parallel) uses. */
function uniqueTitle(testInfo: TestInfo, what: string) {
  return `${what} ${testInfo.project.name} ${Date.now().toString(36)}`;
}

async function writeArticle(page: Page, title: string) {
  await page.goto('/redactie/artikelen/nieuw');
  await page.getByLabel('Kop *').fill(title);
  await page.getByLabel('Rubriek *').selectOption('cultuur');
  await page.getByLabel('Intro').fill('Een intro die de lezer meteen vertelt waar het om gaat.');
  await page
    .getByLabel(/^Tekst/)
    .fill('## Wat er gebeurt\n\nDe eerste alinea.\n\n> Een citaat van een verzonnen persoon.');
  await page.getByLabel('Onderwerpen').fill('test, cultuur');
  await page.getByLabel('Plaats in de dateline').fill('Oosterbroek');
  await page.getByLabel('Adres van de afbeelding').fill('/media/demo/theater.svg');
  await page.getByLabel(/^Alt-tekst/).fill('Een getekend theater met rood doek');
}

test('an editor writes and publishes an article that readers then see', async ({ page }, testInfo) => {
  await logIn(page, EDITOR);
  await expect(page.getByRole('heading', { name: 'Overzicht' })).toBeVisible();
  const title = uniqueTitle(testInfo, 'Theatergroep speelt');
  await writeArticle(page, title);
  // Upload a photo (any PNG will do: a screenshot of this page): it goes up in the background
  // with a progress bar, and its address lands in the image field.
  await page.locator('#bestand').setInputFiles({
    name: 'foto.png',
    mimeType: 'image/png',
    buffer: await page.screenshot(),
  });
  await page.getByRole('button', { name: 'Uploaden' }).click();
  await expect(page.locator('.upload [aria-live]')).toContainText('Geüpload');
  await expect(page.locator('.upload progress')).toHaveAttribute('value', '100');
  await expect(page.getByLabel('Adres van de afbeelding')).toHaveValue(/^\/uploads\/.+\.jpg$/);
  // The live preview is the public article, as readers will see it.
  const preview = page.getByRole('region', { name: 'Voorbeeld' });
  await expect(preview.locator('h1')).toHaveText(title);
  await expect(preview.locator('.dateline')).toContainText('OOSTERBROEK');
  await expect(preview.locator('h2', { hasText: 'Wat er gebeurt' })).toBeVisible();
  await expect(preview.locator('blockquote')).toContainText('Een citaat van een verzonnen persoon.');
  await expect(preview.locator('.hero img')).toHaveAttribute('srcset', /480w/);
  await page.getByLabel('Intro').fill('Een intro die intussen is aangepast.');
  await expect(preview.locator('.lead')).toHaveText('Een intro die intussen is aangepast.');
  await page.getByRole('button', { name: 'Publiceren' }).click();
  await expect(page.getByRole('status')).toHaveText('Gepubliceerd: het artikel staat op de site.');

  await page.goto('/');
  await page.getByRole('link', { name: title }).first().click();
  await expect(page.locator('article h1')).toHaveText(title);
  await expect(page.locator('.dateline')).toContainText('OOSTERBROEK');
  await expect(page.locator('.article-body blockquote')).toContainText('Een citaat');
  await expect(page.locator('.hero img')).toHaveAttribute('alt', 'Een getekend theater met rood doek');
  await expect(page.locator('.hero img')).toHaveAttribute('srcset', /480w.*960w.*1600w/);

  await page.goto('/cultuur');
  await expect(page.getByRole('link', { name: title })).toBeVisible();
});

test('an image over the size limit is refused before it is sent', async ({ page }) => {
  await logIn(page, EDITOR);
  await page.goto('/redactie/artikelen/nieuw');
  await page.locator('#bestand').setInputFiles({
    name: 'groot.jpg',
    mimeType: 'image/jpeg',
    buffer: Buffer.alloc(11 * 1024 * 1024),
  });
  let sent = false;
  page.on('request', (r) => {
    if (r.url().endsWith('/redactie/media')) sent = true;
  });
  await page.getByRole('button', { name: 'Uploaden' }).click();
  await expect(page.locator('.upload [aria-live]')).toHaveText(
    'Deze afbeelding is groter dan 10 MB. Verklein hem en probeer het opnieuw.',
  );
  expect(sent).toBe(false);
});

test('a refused article keeps what was typed and points at the problem', async ({ page }) => {
  await logIn(page, EDITOR);
  await page.goto('/redactie/artikelen/nieuw');
  await page.getByLabel('Kop *').fill('Kop');
  await page.getByLabel(/^Tekst/).fill('Deze tekst mag niet verloren gaan.');
  await page.getByLabel('Rubriek *').selectOption('nieuws');
  await page.getByRole('button', { name: 'Opslaan' }).click();
  await expect(page.getByRole('alert')).toContainText('Geef het artikel een kop van minstens 5 tekens.');
  await expect(page.getByLabel(/^Tekst/)).toHaveValue('Deze tekst mag niet verloren gaan.');
  await expect(page.getByLabel('Kop *')).toHaveAttribute('aria-invalid', 'true');
});

test('a contributor can submit for review but not publish', async ({ page }, testInfo) => {
  await logIn(page, CONTRIBUTOR);
  const title = uniqueTitle(testInfo, 'Concept van medewerker');
  await writeArticle(page, title);
  await expect(page.getByRole('button', { name: 'Publiceren' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Ter beoordeling aanbieden' }).click();
  await expect(page.getByRole('status')).toContainText('ter beoordeling');

  // Forcing a publish past the missing button is refused by the server.
  // (Same cookies and the site's own Origin, as the browser would send.)
  const forced = await page.request.post('/redactie/artikelen/nieuw', {
    form: { titel: 'Toch publiceren?', rubriek: 'nieuws', actie: 'publiceren' },
    headers: { origin: new URL(page.url()).origin },
    maxRedirects: 0,
  });
  expect(forced.status()).toBe(403);
  expect(await forced.text()).toContain('Alleen een redacteur kan publiceren');

  const reader = await page.context().newPage();
  const response = await reader.goto('/cultuur');
  expect(response?.status()).toBe(200);
  await expect(reader.getByRole('link', { name: title })).toHaveCount(0);
  await reader.close();
});

test('a wrong password shows the Dutch error', async ({ page }) => {
  await logIn(page, CONTRIBUTOR, 'dit is niet het wachtwoord');
  await expect(page.getByRole('alert')).toHaveText(
    'Dit e-mailadres en wachtwoord horen niet bij elkaar. Controleer ze en probeer het opnieuw.',
  );
  await expect(page.getByLabel('E-mailadres')).toHaveValue(CONTRIBUTOR);
});

test('logging out ends access to the dashboard', async ({ page }) => {
  await logIn(page, EDITOR);
  await expect(page.getByRole('heading', { name: 'Overzicht' })).toBeVisible();
  await page.getByRole('button', { name: 'Uitloggen' }).click();
  await expect(page.getByRole('status')).toHaveText('Je bent uitgelogd.');
  await page.goto('/redactie/artikelen');
  await expect(page).toHaveURL(/\/redactie\/inloggen\?volgende=/);
});

/**
 * A whole minute in Amsterdam at least 25 s away (time to check the article is not yet visible),
 * as `YYYY-MM-DDTHH:MM` for a datetime-local input.
 */
function nextMinuteInAmsterdam(): { value: string; at: number } {
  const at = Math.ceil((Date.now() + 25_000) / 60_000) * 60_000;
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Amsterdam',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(at));
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return { value: `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`, at };
}

test('a scheduled article appears on the site at its time', async ({ page }, testInfo) => {
  test.setTimeout(150_000);
  await logIn(page, EDITOR);
  const title = uniqueTitle(testInfo, 'Ingepland stuk');
  await writeArticle(page, title);
  const { value, at } = nextMinuteInAmsterdam();
  await page.getByLabel('Publiceren op (Nederlandse tijd)').fill(value);
  await page.getByRole('button', { name: 'Inplannen' }).click();
  await expect(page.getByRole('status')).toContainText('Ingepland');

  const reader = await page.context().newPage();
  await reader.goto('/cultuur');
  await expect(reader.getByRole('link', { name: title })).toHaveCount(0);
  await reader.waitForTimeout(Math.max(0, at - Date.now()) + 1500);
  await reader.goto('/cultuur');
  await expect(reader.getByRole('link', { name: title })).toBeVisible();
  await reader.close();
});

test("a contributor's hostile draft runs no script when an editor opens it", async ({ page, browser }, testInfo) => {
  const payload = '</textarea><script>window.__x=1</script>';
  await logIn(page, CONTRIBUTOR);
  const title = uniqueTitle(testInfo, 'Verdacht concept');
  await page.goto('/redactie/artikelen/nieuw');
  await page.getByLabel('Kop *').fill(`${title} ${payload}`);
  await page.getByLabel('Rubriek *').selectOption('nieuws');
  await page.getByLabel('Intro').fill(payload);
  await page.getByLabel(/^Tekst/).fill(payload);
  await page.getByLabel('Onderwerpen').fill(payload);
  await page.getByLabel('Plaats in de dateline').fill(payload);
  await page.getByRole('button', { name: 'Ter beoordeling aanbieden' }).click();
  await expect(page.getByRole('status')).toContainText('ter beoordeling');
  const draft = page.url().replace(/\?.*$/, '');

  const editorContext = await browser.newContext();
  const editor = await editorContext.newPage();
  const problems: string[] = [];
  editor.on('dialog', (d) => problems.push(`dialog: ${d.message()}`));
  editor.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await logIn(editor, EDITOR);
  await expect(editor.getByRole('heading', { name: 'Overzicht' })).toBeVisible();
  await editor.goto(draft);
  await expect(editor.getByLabel('Kop *')).toHaveValue(`${title} ${payload}`);
  await expect(editor.getByLabel('Intro')).toHaveValue(payload);
  await expect(editor.getByLabel(/^Tekst/)).toHaveValue(payload);
  // The preview island hydrated (so scripts do run on this page), and it shows the text too.
  const preview = editor.getByRole('region', { name: 'Voorbeeld' });
  await expect(preview.locator('.lead')).toHaveText(payload);
  expect(await editor.evaluate(() => (window as unknown as { __x?: number }).__x)).toBeUndefined();
  expect(problems).toEqual([]);
  await editorContext.close();
});
