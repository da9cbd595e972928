import { test, expect } from './fixtures';
import type { Page, TestInfo } from '@playwright/test';
import { DEMO_PASSWORD } from '../playwright.config';

// Writing in the newsroom without losing a word: autosave, the copy in the browser when the
// server cannot be reached, two editors on one article, and the check before publishing.
// Each test writes its own article, so the desktop and mobile runs never share one.

const EDITOR = 'redactie@lindewijk.example';
const CONTRIBUTOR = 'medewerker@lindewijk.example';

async function logIn(page: Page, email: string) {
  await page.goto('/redactie/inloggen');
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await expect(page.getByRole('heading', { name: 'Overzicht' })).toBeVisible();
}

function uniqueTitle(testInfo: TestInfo, what: string) {
  return `${what} ${testInfo.project.name} ${Date.now().toString(36)}`;
}

/** Saves a new draft and returns its editor's address. */
async function newDraft(page: Page, title: string): Promise<string> {
  await page.goto('/redactie/artikelen/nieuw');
  await page.getByLabel('Kop *').fill(title);
  await page.getByLabel('Rubriek *').selectOption('nieuws');
  await page.getByLabel('Intro').fill('Een intro voor dit concept.');
  await page.getByLabel(/^Tekst/).fill('De eerste versie van de tekst.');
  await page.getByRole('button', { name: 'Opslaan', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText('Opgeslagen.');
  return new URL(page.url()).pathname;
}

test('typing is saved in the background and is there after a reload', async ({ page }, testInfo) => {
  await logIn(page, EDITOR);
  await newDraft(page, uniqueTitle(testInfo, 'Autosave'));
  const body = page.getByLabel(/^Tekst/);
  const status = page.locator('.autosave-status');
  await body.fill('De eerste versie van de tekst.\n\nDeze zin staat alleen in de automatische opslag.');
  await expect(status).toHaveText(/^Opgeslagen om \d\d:\d\d$/);
  // Saved on the server, so leaving asks nothing.
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.type());
    void d.accept();
  });
  await page.reload();
  await expect(body).toHaveValue(/alleen in de automatische opslag/);
  await expect(page.locator('.notice.autosaved')).toContainText('automatisch opgeslagen tekst');
  expect(dialogs).toEqual([]);

  // The preview sits beside the text on a wide screen and below it on a phone.
  const text = (await body.boundingBox())!;
  const preview = (await page.getByRole('region', { name: 'Voorbeeld' }).boundingBox())!;
  if (testInfo.project.name === 'desktop') {
    expect(preview.x).toBeGreaterThanOrEqual(text.x + text.width);
  } else {
    expect(preview.y).toBeGreaterThanOrEqual(text.y + text.height);
  }
});

test.describe('offline', () => {
  test.use({ expectedConsoleErrors: [/ERR_INTERNET_DISCONNECTED/] });

  test('text typed offline is kept in the browser and offered back', async ({ page, context }, testInfo) => {
    await logIn(page, EDITOR);
    await newDraft(page, uniqueTitle(testInfo, 'Offline'));
    const body = page.getByLabel(/^Tekst/);
    const status = page.locator('.autosave-status');
    // The connection drops once the editor is open (its code loaded: the toolbar shows).
    await expect(page.getByRole('toolbar', { name: 'Opmaak' })).toBeVisible();
    await context.setOffline(true);
    await body.fill('Geschreven in de trein, zonder verbinding.');
    await expect(status).toContainText(
      'Niet opgeslagen: geen verbinding — je tekst staat veilig in deze browser',
    );
    await context.setOffline(false);
    // Leaving with text the server does not have asks first.
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.type());
      void d.accept();
    });
    await page.reload();
    expect(dialogs).toEqual(['beforeunload']);
    const offer = page.locator('.restore-offer');
    await expect(offer).toContainText(/Er is een niet-opgeslagen versie van \d\d:\d\d in deze browser/);
    await expect(body).toHaveValue('De eerste versie van de tekst.');
    await offer.getByRole('button', { name: 'Terugzetten' }).click();
    await expect(body).toHaveValue('Geschreven in de trein, zonder verbinding.');
    await expect(offer).toBeHidden();
    // Back online, the restored text goes to the server too.
    await expect(status).toHaveText(/^Opgeslagen om \d\d:\d\d$/);
  });
});

test('two editors on one article: presence, and a save over theirs shows both', async ({ page, browser }, testInfo) => {
  // The contributor writes a draft and keeps its editor open.
  await logIn(page, CONTRIBUTOR);
  const draft = await newDraft(page, uniqueTitle(testInfo, 'Samen'));
  const editorContext = await browser.newContext({ ...testInfo.project.use });
  const editor = await editorContext.newPage();
  await logIn(editor, EDITOR);
  await editor.goto(draft);
  await expect(editor.locator('.presence')).toHaveText('Demo Medewerker heeft dit artikel nu ook open.');
  // The first learns of the second over the live stream, without reloading.
  await expect(page.locator('.presence')).toHaveText('Demo Redacteur heeft dit artikel nu ook open.');

  await editor.getByLabel(/^Tekst/).fill('De versie van de redacteur, met een nieuwe zin.');
  await editor.getByRole('button', { name: 'Opslaan', exact: true }).click();
  await expect(editor.getByRole('status')).toHaveText('Opgeslagen.');

  // The contributor saves from the page they opened before the editor's save.
  await page.getByLabel(/^Tekst/).fill('De versie van de medewerker, ook met een zin.');
  await page.getByRole('button', { name: 'Opslaan', exact: true }).click();
  const conflict = page.locator('#conflict');
  await expect(conflict).toContainText('Iemand anders heeft dit artikel intussen opgeslagen');
  await expect(conflict).toContainText('Demo Redacteur sloeg op');
  const body = conflict.locator('.compare', { has: page.getByRole('heading', { name: 'Tekst', exact: true }) });
  await expect(body.locator('.theirs')).toContainText('De versie van de redacteur');
  await expect(body.locator('.mine')).toContainText('De versie van de medewerker');
  await expect(body.locator('.theirs del')).not.toHaveCount(0);
  await expect(body.locator('.mine ins')).not.toHaveCount(0);
  // Nothing typed is lost: it is still in the editor, and keeping it is one click.
  await expect(page.getByLabel(/^Tekst/)).toHaveValue('De versie van de medewerker, ook met een zin.');
  await page.getByRole('button', { name: 'Opslaan', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText('Opgeslagen.');
  await expect(page.getByLabel(/^Tekst/)).toHaveValue('De versie van de medewerker, ook met een zin.');
  await editorContext.close();
});

test('the check before publishing lists a missing alt text', async ({ page }, testInfo) => {
  await logIn(page, EDITOR);
  const title = uniqueTitle(testInfo, 'Controle');
  await page.goto('/redactie/artikelen/nieuw');
  await page.getByLabel('Kop *').fill(title);
  await page.getByLabel('Rubriek *').selectOption('nieuws');
  await page.getByLabel('Intro').fill('Een intro voor de controle.');
  await page.getByLabel(/^Tekst/).fill('Een korte tekst.');
  await page.getByLabel('Adres van de afbeelding').fill('/media/demo/brug.svg');
  await page.getByRole('button', { name: 'Publiceren', exact: true }).click();
  const check = page.locator('#controle');
  await expect(check).toContainText('Controle voor publicatie');
  await expect(check).toContainText('De afbeelding heeft geen alt-tekst');
  await expect(page.getByLabel('Kop *')).toHaveValue(title);
  await page.getByLabel(/^Alt-tekst/).fill('Een getekende brug over het water');
  await page.getByRole('button', { name: 'Publiceren', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText('Gepubliceerd: het artikel staat op de site.');
});

test('the toolbar marks up the selection; words and reading time are counted', async ({ page }, testInfo) => {
  await logIn(page, EDITOR);
  await newDraft(page, uniqueTitle(testInfo, 'Werkbalk'));
  const body = page.getByLabel(/^Tekst/);
  await body.fill('belangrijk');
  await body.selectText();
  await page.getByRole('toolbar', { name: 'Opmaak' }).getByRole('button', { name: 'Vet' }).click();
  await expect(body).toHaveValue('**belangrijk**');
  await body.press('End');
  await body.press('Enter');
  await body.pressSequentially('Tussenkop');
  await body.press('Control+Alt+2');
  await expect(body).toHaveValue('**belangrijk**\n## Tussenkop');
  await expect(page.locator('.writing-stats')).toContainText('2 woorden · 1 min lezen');
  await expect(page.locator('.writing-stats')).toContainText('past in zoekresultaten');
  const preview = page.getByRole('region', { name: 'Voorbeeld' });
  await expect(preview.locator('h2', { hasText: 'Tussenkop' })).toBeVisible();
});
