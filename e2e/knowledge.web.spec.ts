/**
 * Committee knowledge in the web UI on the real model: choose a preset in the experiment editor and
 * see its expansion before starting; turn on the solution library; rate the result 5 stars; run the
 * same experiment again and see the past answer come back as a retrieved message that opens its
 * source; then ask for member contribution and pruning advice in the Metrics view. Screenshots go
 * to e2e/artifacts/.
 */
import { expect, test } from "@playwright/test";
import { ARTIFACTS, hostPerFile, openApp, openEditor } from "./specHost.js";

const TITLE = "Fox library";

const host = hostPerFile();

test("a preset's expansion before the run, a reused past answer, and member advice", async ({ page }) => {
  await openApp(page, host());

  // 1. The editor: a preset shows what it expands to before anything runs.
  const editor = await openEditor(page);
  await editor.getByLabel("Title", { exact: true }).fill(TITLE);
  await editor.getByLabel("Task", { exact: true }).fill("Write about a red fox hunting mice in the snowy forest.");
  for (const [n, role] of [[1, "analyzer"], [2, "critic"]] as const) {
    await editor.getByRole("group", { name: `Role ${n} ${role}` }).getByLabel("Max tokens", { exact: true }).fill("96");
  }
  await editor.getByRole("combobox", { name: "Preset" }).selectOption("fast");
  const expansion = editor.getByRole("region", { name: "Preset expansion" });
  await expect(expansion.getByRole("rowheader", { name: "protocol" })).toBeVisible();
  await expect(expansion.getByRole("row", { name: /^protocol parallel/ })).toBeVisible();
  await expect(expansion.getByRole("row", { name: /^prefetch on/ })).toBeVisible();
  await editor.getByLabel("Use past results").check();
  await expect(editor.getByText("The experiment is valid.")).toBeVisible();
  await editor.getByRole("region", { name: "Preset", exact: true }).screenshot({ path: `${ARTIFACTS}preset-expansion.png` });
  await editor.getByRole("button", { name: "Start session" }).click();
  await expect(editor).toBeHidden();

  const sessions = page.getByRole("navigation", { name: "Sessions" });
  const timeline = page.getByRole("region", { name: "Conversation timeline" });
  await expect(sessions.locator('[aria-current="true"] .status')).toHaveText("completed", { timeout: 180_000 });
  await expect(timeline.getByText(/^Library: fresh generation/)).toBeVisible();

  // 2. The researcher rates the committee's answer (the merger's, the last word) 5 stars.
  const answer = timeline.getByRole("article", { name: /^Message \d+ from analyzer$/ }).last();
  const answerLabel = (await answer.getAttribute("aria-label")) ?? "";
  await answer.getByRole("button", { name: "5 stars" }).click();
  await expect(answer.getByRole("button", { name: "5 stars" })).toHaveAttribute("aria-pressed", "true");

  // 3. Run it again: the library offers the rated answer to confirm instead of generating afresh.
  await timeline.getByRole("button", { name: "Run again" }).click();
  await expect(sessions.getByRole("list", { name: "Session list" }).getByRole("listitem")).toHaveCount(2);
  await expect(sessions.locator('[aria-current="true"] .status')).toHaveText("completed", { timeout: 180_000 });
  await expect(timeline.getByText(/^Library: reuse/)).toBeVisible();
  const retrieved = timeline.locator('article[data-type="retrieved"]');
  await expect(retrieved).toBeVisible();
  await expect(retrieved.getByRole("group", { name: "Retrieved from a past session" })).toContainText(/reused · similarity (0\.9\d|1\.00) · rating/);
  await timeline.screenshot({ path: `${ARTIFACTS}library-reuse.png` });
  await retrieved.getByRole("button", { name: `Open past session ${TITLE} at its result` }).click();
  await expect(timeline.getByRole("article", { name: answerLabel })).toHaveClass(/highlight/);

  // 4. Member contribution and pruning advice for the session on screen.
  await page.getByRole("tab", { name: "Metrics" }).click();
  const advice = page.getByRole("region", { name: "Member contribution and pruning advice" });
  await advice.getByRole("button", { name: "Advise" }).click();
  for (const member of ["analyzer", "critic"]) {
    await expect(advice.getByRole("rowheader", { name: member })).toBeVisible();
  }
  await expect(advice.locator(".advice-table tbody tr").first()).toContainText(/KEEP|PRUNE|REPLACE/);
  await expect(advice).toContainText("recommendations only — nothing is pruned automatically");
  await advice.screenshot({ path: `${ARTIFACTS}member-advice.png` });
});
