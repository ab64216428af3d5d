/**
 * The web e2e on a real model (stories260K when present): the shared committee scenario
 * (e2e/scenario.ts) in Chromium over the loopback host. Screenshots go to e2e/artifacts/.
 */
import { expect, test } from "@playwright/test";
import { committeeScenario } from "./scenario.js";
import { ARTIFACTS, hostPerFile } from "./specHost.js";

const host = hostPerFile();

test("tokenless requests are refused", async ({ request }) => {
  expect((await request.get(`${host().origin}/`)).status()).toBe(401);
});

test("committee, drag hot-swap, compare, export", async ({ page }) => {
  await page.goto(host().url);
  await committeeScenario(page, { artifacts: ARTIFACTS, downloads: true });
});
