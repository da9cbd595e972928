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
// Calamity mode changes every page of the site: its tests get a server of their own, so the
// other tests never meet the strip or the calamity home.
const calamityPort = Number(process.env.ZENDER_E2E_CALAMITY_PORT ?? port + 1);
export const calamityURL = `http://127.0.0.1:${calamityPort}`;
const calamityDataDir = path.join(dataDir, 'calamity');

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
    {
      name: 'desktop',
      testIgnore: /calamity\.spec\.ts/,
      use: { ...devices['Desktop Chrome'], launchOptions },
    },
    {
      name: 'mobile',
      testIgnore: /calamity\.spec\.ts/,
      use: { ...devices['Pixel 7'], launchOptions },
    },
    // One calamity at a time on its server: the mobile run follows the desktop one.
    {
      name: 'calamity-desktop',
      testMatch: /calamity\.spec\.ts/,
      use: { ...devices['Desktop Chrome'], launchOptions, baseURL: calamityURL },
    },
    {
      name: 'calamity-mobile',
      testMatch: /calamity\.spec\.ts/,
      dependencies: ['calamity-desktop'],
      use: { ...devices['Pixel 7'], launchOptions, baseURL: calamityURL },
    },
  ],
  webServer: [
    server(port, dataDir),
    server(calamityPort, calamityDataDir),
  ],
});

function server(at: number, data: string) {
  return {
    command: process.env.ZENDER_E2E_SERVER ?? '../target/release/zender',
    url: `http://127.0.0.1:${at}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe' as const,
    env: {
      ZENDER_ADDR: `127.0.0.1:${at}`,
      ZENDER_DATA_DIR: data,
      ZENDER_DEMO: '1',
      ZENDER_DEMO_PASSWORD: DEMO_PASSWORD,
      LEPTOS_SITE_ROOT: process.env.LEPTOS_SITE_ROOT ?? '../target/site',
      RUST_LOG: 'warn',
      // Tests post comments a second after loading a page, many from one address.
      ZENDER_COMMENTS_MIN_SECONDS: '1',
      ZENDER_COMMENTS_PER_CLIENT: '1000',
      ZENDER_COMMENTS_PER_EMAIL: '1000',
    },
  };
}
