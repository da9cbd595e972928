import AxeBuilder from '@axe-core/playwright';
import { test, expect } from './fixtures';
import { DEMO_PASSWORD } from '../playwright.config';

test('the programme guide lists both stations, switches days and passes axe', async ({ page }) => {
  await page.goto('/');
  // In the header's navigation (behind the menu button on phones).
  await expect(page.locator('#hoofdmenu a[href="/gids"]')).toHaveText('Gids');
  await page.goto('/gids');
  await expect(page.getByRole('heading', { level: 1, name: 'Programmagids' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Radio Lindewijk' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'TV Lindewijk' })).toBeVisible();
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);

  await page.getByRole('navigation', { name: 'Dag in de gids' }).getByRole('link', { name: 'Deze week' }).click();
  await expect(page).toHaveURL(/dag=week/);
  // Nachtwacht goes out every night.
  expect(await page.getByRole('link', { name: 'Nachtwacht', exact: true }).count()).toBeGreaterThanOrEqual(7);
  await page.getByRole('link', { name: 'Nachtwacht', exact: true }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Nachtwacht' })).toBeVisible();
  await expect(page.getByText('zondag 23:00–02:00')).toBeVisible();
  const programmeAxe = await new AxeBuilder({ page }).analyze();
  expect(programmeAxe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  test('the guide and a programme page work as plain pages', async ({ page }) => {
    await page.goto('/gids?dag=morgen');
    await expect(page.getByRole('link', { name: 'Morgen', exact: true })).toHaveAttribute('aria-current', 'page');
    await page.goto('/programma/goedemorgen-lindewijk');
    await expect(page.getByRole('link', { name: 'Joost Brinkhorst' })).toBeVisible();
  });
});

test('an editor plans a one-off broadcast for now and the guide marks it as on air', async ({ page }, testInfo) => {
  // The projects run side by side on one server, and one station takes one one-off at a time:
  // each project plans on a station of its own.
  const [station, programme] =
    testInfo.project.name === 'desktop'
      ? ['Radio Lindewijk', 'De Zaterdagploeg']
      : ['TV Lindewijk', 'TV Lindewijk Journaal'];
  await page.goto('/redactie/inloggen');
  await page.getByLabel('E-mailadres').fill('redactie@lindewijk.example');
  await page.getByLabel('Wachtwoord').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.goto('/redactie/programmering');
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  // Now in Lindewijk, to the minute, and an hour on.
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('nl-NL', {
      timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    }).formatToParts(new Date()).map((p) => [p.type, p.value]),
  );
  const start = `${parts.hour}:${parts.minute}`;
  const end = `${String((Number(parts.hour) + 1) % 24).padStart(2, '0')}:${parts.minute}`;
  const form = page.locator('form[action="/redactie/programmering/eenmalig"]');
  await form.getByLabel('Programma').selectOption({ label: `${programme} (${station})` });
  await form.getByLabel('Datum').fill(`${parts.year}-${parts.month}-${parts.day}`);
  await form.getByLabel('Begin (uu:mm)').fill(start);
  await form.getByLabel('Einde (uu:mm)').fill(end);
  await form.getByRole('button', { name: 'Inplannen' }).click();
  await expect(page.getByText('De eenmalige uitzending staat in de gids.')).toBeVisible();
  await page.goto('/gids');
  const now = page.getByRole('region', { name: station }).locator('li[aria-current="time"]');
  await expect(now).toContainText(programme);
  await expect(now).toContainText('Nu');
});
