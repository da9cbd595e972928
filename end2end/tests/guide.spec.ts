import AxeBuilder from '@axe-core/playwright';
import { test, expect } from './fixtures';

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
