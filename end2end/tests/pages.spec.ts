import AxeBuilder from '@axe-core/playwright';
import { test, expect } from './fixtures';
import { DEMO_PASSWORD } from '../playwright.config';

const FOOTER_PAGES = [
  ['Over ons', 'Over ons'],
  ['Contact', 'Contact'],
  ['Colofon', 'Colofon'],
  ['Privacyverklaring', 'Privacyverklaring'],
  ['Toegankelijkheidsverklaring', 'Toegankelijkheidsverklaring'],
] as const;

test('every page in the footer opens from the footer and passes axe', async ({ page }) => {
  for (const [link, heading] of FOOTER_PAGES) {
    await page.goto('/');
    const footer = page.getByRole('navigation', { name: 'Over de omroep' });
    await footer.getByRole('link', { name: link, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.map((v) => `${link}: ${v.id}: ${v.help}`)).toEqual([]);
  }
  await expect(page.getByRole('heading', { level: 2, name: 'Bekende beperkingen' })).toBeVisible();
});

test('an editor adds a page that readers find at its address at once', async ({ page }, testInfo) => {
  const slug = `bereikbaarheid-${testInfo.project.name}-${Date.now().toString(36)}`;
  await page.goto('/redactie/inloggen');
  await page.getByLabel('E-mailadres').fill('redactie@lindewijk.example');
  await page.getByLabel('Wachtwoord').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.goto('/redactie/paginas');
  await page.getByRole('link', { name: 'Nieuwe pagina' }).click();
  // A refused save keeps the text and says why.
  await page.getByLabel('Titel').fill('Bereikbaarheid');
  await page.getByLabel('Adres').fill('Geen Goed Adres');
  await page.getByLabel('Tekst (Markdown)').fill('## Met de bus\n\nLijn 12 stopt voor de studio.');
  await page.getByLabel('Adres').evaluate((el) => el.removeAttribute('pattern'));
  await page.getByRole('button', { name: 'Opslaan en publiceren' }).click();
  await expect(page.locator('#pagina-fout')).toContainText('kleine letters, cijfers en streepjes');
  await expect(page.getByLabel('Tekst (Markdown)')).toHaveValue(/Lijn 12 stopt voor de studio/);
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);

  await page.getByLabel('Adres').fill(slug);
  // Outside the footer: the other tests' footers stay as the demo has them.
  await page.getByLabel('In de voettekst van elke pagina').uncheck();
  await page.getByRole('button', { name: 'Opslaan en publiceren' }).click();
  await expect(page.getByText('De pagina is aangemaakt en staat op de site.')).toBeVisible();
  await page.goto(`/pagina/${slug}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Bereikbaarheid' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Met de bus' })).toBeVisible();
});
