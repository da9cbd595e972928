import { test as base, expect } from '@playwright/test';

/**
 * Every test fails on a page error, a console error, or a hydration warning: a page that
 * silently fails to hydrate still looks fine in a screenshot.
 */
export const test = base.extend<{
  failOnPageErrors: void;
  cspViolations: string[];
  expectedConsoleErrors: RegExp[];
}>({
  /** Console errors a test causes on purpose (requests failing while it is offline). */
  expectedConsoleErrors: [[], { option: true }],
  failOnPageErrors: [
    async ({ page, expectedConsoleErrors }, use) => {
      const problems: string[] = [];
      page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
      page.on('console', (msg) => {
        const text = msg.text();
        // A test that asks for a missing page gets its 404 document; only other failures count.
        if (text.startsWith('Failed to load resource') && msg.location().url === page.url()) {
          return;
        }
        if (msg.type() === 'error' && expectedConsoleErrors.some((e) => e.test(text))) {
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
  /**
   * Every test fails on a Content Security Policy violation: a script, style, image or
   * connection the policy blocks is a feature that silently does not work.
   */
  cspViolations: [
    async ({ page }, use) => {
      const violations: string[] = [];
      await page.exposeBinding('__zenderCspViolation', (_source, text: string) => {
        violations.push(text);
      });
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (event) => {
          const report = `${event.violatedDirective} blocked ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`;
          (window as unknown as { __zenderCspViolation: (text: string) => void }).__zenderCspViolation(report);
        });
      });
      await use(violations);
      expect(violations, 'no Content Security Policy violations').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

export const SECTIONS = ['Nieuws', 'Cultuur', 'Educatie', 'Informatie', 'Entertainment'];
