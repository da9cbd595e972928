import { test as base, expect } from '@playwright/test';

/**
 * Every test fails on a page error, a console error, or a hydration warning: a page that
 * silently fails to hydrate still looks fine in a screenshot.
 */
export const test = base.extend<{ failOnPageErrors: void }>({
  failOnPageErrors: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
      page.on('console', (msg) => {
        const text = msg.text();
        // A test that asks for a missing page gets its 404 document; only other failures count.
        if (text.startsWith('Failed to load resource') && msg.location().url === page.url()) {
          return;
        }
        if (msg.type() === 'error' || /hydrat/i.test(text)) {
          problems.push(`console ${msg.type()}: ${text}`);
        }
      });
      await use();
      expect(problems, 'no errors in the browser').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

export const SECTIONS = ['Nieuws', 'Cultuur', 'Educatie', 'Informatie', 'Entertainment'];
