/**
 * What the web specs share: each file gets its own host (so its own database), started before the
 * file's tests and stopped after them; the artifacts folder for screenshots; the app opened once
 * its model library is listed; the experiment editor opened from "New session".
 */
import { expect, test, type Locator, type Page } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startHostProcess, type HostProcess } from "./hostProcess.js";

/** Where specs save screenshots (kept as CI artifacts). */
export const ARTIFACTS = fileURLToPath(new URL("./artifacts/", import.meta.url));

/** Registers the file's host around its tests; call at the top level of a spec file. */
export function hostPerFile(): () => HostProcess {
  let host: HostProcess | undefined;
  test.beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    host = await startHostProcess();
  });
  test.afterAll(async () => {
    await host?.stop();
  });
  return () => {
    if (!host) throw new Error("the spec's host has not started");
    return host;
  };
}

/** Opens the UI of `host` and waits until the model library lists a model. */
export async function openApp(page: Page, host: HostProcess): Promise<void> {
  await page.goto(host.url);
  await expect(page.getByRole("region", { name: "Model library" }).getByRole("listitem", { name: /^Model / }).first()).toBeVisible();
}

/** "New session": the experiment editor dialog. */
export async function openEditor(page: Page): Promise<Locator> {
  await page.getByRole("button", { name: "New session" }).first().click();
  return page.getByRole("dialog", { name: "Experiment editor" });
}
