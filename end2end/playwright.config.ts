import { defineConfig, devices } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// The test command picks a free port and a fresh data directory; these fallbacks serve a manual
// `npx playwright test` after `cargo leptos build --release --split`.
export const DEMO_PASSWORD = 'e2e-demo-wachtwoord';
const port = Number(process.env.ZENDER_E2E_PORT ?? 3999);
const baseURL = `http://127.0.0.1:${port}`;
const dataDir =
  process.env.ZENDER_E2E_DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'zender-e2e-'));

// Debian's Chromium, never a downloaded browser. These flags keep it from calling outside hosts.
const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

export default defineConfig({
  testDir: './tests',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  reporter: [['list']],
  timeout: 30_000,
  use: {
    baseURL,
    launchOptions,
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'desktop', use: { ...devices['Desktop Chrome'], launchOptions } },
    { name: 'mobile', use: { ...devices['Pixel 7'], launchOptions } },
  ],
  webServer: {
    command: process.env.ZENDER_E2E_SERVER ?? '../target/release/zender',
    url: `${baseURL}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    env: {
      ZENDER_ADDR: `127.0.0.1:${port}`,
      ZENDER_DATA_DIR: dataDir,
      ZENDER_DEMO: '1',
      ZENDER_DEMO_PASSWORD: DEMO_PASSWORD,
      LEPTOS_SITE_ROOT: process.env.LEPTOS_SITE_ROOT ?? '../target/site',
      RUST_LOG: 'warn',
      // Tests post comments a second after loading a page, many from one address.
      ZENDER_COMMENTS_MIN_SECONDS: '1',
      ZENDER_COMMENTS_PER_CLIENT: '1000',
      ZENDER_COMMENTS_PER_EMAIL: '1000',
    },
  },
});
