/**
 * E2E projects. `web` drives the loopback host in Debian's Chromium (what CI runs); `electron`
 * drives the desktop shell and only runs where the Electron binary exists (the researchers' Macs).
 */
import { defineConfig } from "@playwright/test";

const chromium = process.env.CONCLAVE_CHROMIUM ?? "/usr/bin/chromium";

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  timeout: 240_000,
  expect: { timeout: 60_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [["list"]],
  use: {
    viewport: { width: 1440, height: 900 },
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
  },
  projects: [
    {
      name: "web",
      testMatch: /web\.spec\.ts$/,
      use: {
        browserName: "chromium",
        launchOptions: {
          executablePath: chromium,
          args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        },
      },
    },
    { name: "electron", testMatch: /electron\.spec\.ts$/ },
  ],
});
