import { defineConfig } from '@playwright/test';

const port = process.env.E2E_PORT ?? '3111';

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    // A small, cheap phone.
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  webServer: {
    command: 'bash .ci/e2e-server.sh',
    cwd: '..',
    url: `http://127.0.0.1:${port}/healthz`,
    env: { E2E_ADDR: `127.0.0.1:${port}` },
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
