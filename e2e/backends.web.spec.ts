/**
 * Per-role backends in the web UI on the real model: a second Conclave host on another loopback
 * port serves as an OpenAI-compatible backend, added in Settings (its token as the API key, kept in
 * the host's key store); in the experiment editor one role is assigned to it with a local fallback;
 * the memory plan says that role is remote; the session runs, the registry shows that role's seat
 * parked with its turns on the second host, and the timeline shows each of its turns routed there.
 * A screenshot of the timeline goes to e2e/artifacts/.
 */
import { expect, test } from "@playwright/test";
import { basename } from "node:path";
import { realTestModel } from "../models/test/testModels.js";
import { ARTIFACTS, hostPerFile, openApp, openEditor } from "./specHost.js";

const host = hostPerFile();
const second = hostPerFile();

test("a role assigned to a second Conclave host runs there, and the timeline shows it", async ({ page }) => {
  // The second host serves its library models by file name.
  const remoteModel = basename(await realTestModel());
  await openApp(page, host());

  // 1. Settings → Backends: the second host, its token as the key (stored by the host, never shown again).
  const registry = page.getByRole("region", { name: "Model registry" });
  await registry.getByRole("region", { name: "Backends" }).getByRole("button", { name: "Add backend" }).click();
  const settings = page.getByRole("dialog", { name: "Settings" });
  const form = settings.getByRole("region", { name: "Backend settings" });
  await form.getByLabel("Name", { exact: true }).fill("lab2");
  // A wrapped select is named by its label and its selected option ("Provider openai").
  await form.getByRole("combobox", { name: /^Provider/ }).selectOption("openai");
  await form.getByLabel("Base URL", { exact: true }).fill(`${second().origin}/v1`);
  await form.getByLabel("Model", { exact: true }).fill(remoteModel);
  await form.getByLabel("API key", { exact: true }).fill(second().token);
  await form.getByRole("button", { name: "Add backend" }).click();
  await expect(registry.getByRole("listitem", { name: "Backend lab2" })).toContainText("key stored");
  await settings.getByRole("button", { name: "Close" }).click();

  // 2. The editor: the critic runs on lab2, falling back to its local seat.
  const editor = await openEditor(page);
  await editor.getByLabel("Task", { exact: true }).fill("Tell a short story about a fox who learns to share.");
  await editor.getByLabel("Rounds", { exact: true }).fill("1");
  const critic = editor.getByRole("group", { name: "Role 2 critic" });
  await critic.getByLabel("Role 2 backend", { exact: true }).selectOption("lab2");
  await critic.getByRole("button", { name: "Add fallback" }).click();
  await expect(critic.getByLabel("Role 2 fallbacks step 1", { exact: true })).toHaveValue("local");
  await expect(editor.getByText("The experiment is valid.")).toBeVisible();
  const plan = editor.getByRole("region", { name: "Memory plan" });
  await expect(plan).toContainText("1 remote (critic → lab2)");
  await editor.screenshot({ path: `${ARTIFACTS}role-backends-editor.png` });
  await editor.getByRole("button", { name: "Start session" }).click();
  await expect(editor).toBeHidden();

  // 3. While it runs: the critic's seat stays parked and its turns are counted on lab2.
  const seat = registry.getByRole("article", { name: "Slot critic" });
  await expect(seat.locator('[aria-label="critic backends"]')).toContainText(/runs on lab2 → local · turns: lab2 ×\d+/);
  await expect(seat).toHaveAttribute("data-status", "parked");
  const sessions = page.getByRole("navigation", { name: "Sessions" });
  await expect(sessions.locator('[aria-current="true"] .status')).toHaveText("completed", { timeout: 180_000 });

  // 4. The timeline: every critic turn ran on lab2, the analyzer's locally.
  const timeline = page.getByRole("region", { name: "Conversation timeline" });
  const filters = timeline.getByRole("group", { name: "Filters" });
  for (const role of ["user", "system"]) await filters.getByRole("button", { name: `from ${role}`, exact: true }).click();
  const analyzer = timeline.getByRole("article", { name: /^Message \d+ from analyzer$/ }).first();
  await expect(analyzer.locator('.routing[aria-label^="ran on local: "]')).toHaveText("via local");
  await timeline.screenshot({ path: `${ARTIFACTS}role-backends-timeline.png` });
  await filters.getByRole("button", { name: "from analyzer", exact: true }).click();
  const turns = timeline.getByRole("article", { name: /^Message \d+ from critic$/ });
  await expect(turns.first()).toBeVisible();
  const count = await turns.count();
  expect(count).toBeGreaterThan(1);
  for (let i = 0; i < count; i++) {
    await expect(turns.nth(i).locator('.routing[aria-label^="ran on lab2: critic runs on lab2 (the experiment)"]')).toHaveText("via lab2");
  }
});
