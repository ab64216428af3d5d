/**
 * Fork and replay on the real model, in Chromium over the loopback host: run a committee, "Fork
 * here" on one of its messages, seat the critic on another model in the prefilled experiment editor,
 * and see the fork continue on it from that message; jump to the fork point, open the parent at it
 * (which lists its fork), then replay the parent and read the divergence report. A screenshot of the
 * forked session goes to e2e/artifacts/.
 */
import { expect, test } from "@playwright/test";
import { ARTIFACTS, hostPerFile, openEditor } from "./specHost.js";

const TITLE = "Fork source";

const host = hostPerFile();

test("fork at a message with another model, see the fork continue, jump to its fork point and parent, replay", async ({ page }) => {
  await page.goto(host().url);
  const library = page.getByRole("region", { name: "Model library" });
  await expect(library.getByRole("listitem", { name: /^Model / }).first()).toBeVisible();

  // 1. A committee to fork, started from the experiment editor.
  const editor = await openEditor(page);
  await editor.getByLabel("Title", { exact: true }).fill(TITLE);
  await editor.getByLabel("Task", { exact: true }).fill("Tell a short story about a brave little robot.");
  await expect(editor.getByText("The experiment is valid.")).toBeVisible();
  await editor.getByRole("button", { name: "Start session" }).click();
  await expect(editor).toBeHidden();
  const sessions = page.getByRole("navigation", { name: "Sessions" });
  const timeline = page.getByRole("region", { name: "Conversation timeline" });
  await expect(sessions.locator('[aria-current="true"] .status')).toHaveText("completed", { timeout: 180_000 });

  // 2. "Fork here" on the analyzer's first proposal (message 4): the editor opens on the session's experiment.
  await timeline.getByRole("log", { name: "Messages" }).evaluate((el) => (el.scrollTop = 0));
  const forkPoint = timeline.getByRole("article", { name: "Message 4 from analyzer" });
  await expect(forkPoint).toBeVisible();
  await forkPoint.getByRole("button", { name: "Fork at message 4" }).click();
  await expect(editor).toBeVisible();
  await expect(editor.getByText(`From session “${TITLE}” at message #4.`)).toBeVisible();
  await expect(editor.getByLabel("Title", { exact: true })).toHaveValue(TITLE);
  // Seat the critic on the other library model (the fixture's generated one) for the fork.
  const criticModel = editor.getByLabel("Role 2 model", { exact: true });
  const generated = await criticModel.locator("option", { hasText: /tiny-chat/ }).first().getAttribute("value");
  expect(generated).toBeTruthy();
  await criticModel.selectOption(generated ?? "");
  await expect(editor.getByText("The experiment is valid.")).toBeVisible();
  await editor.getByRole("button", { name: "Fork at #4" }).click();
  await expect(editor).toBeHidden();

  // 3. The fork is the active session: it names its parent and fork point, and continues live.
  const lineage = timeline.getByRole("region", { name: "Session lineage" });
  await expect(lineage).toContainText(`Forked from ${TITLE} at message #4`);
  await expect(lineage).toContainText(/Experiment edited: critic on tiny-chat\S*\.gguf \(was [^)]+\.gguf\)/);
  await expect(sessions.locator('[aria-current="true"]')).toContainText(`${TITLE} · fork at #4`);
  await expect(sessions.locator('[aria-current="true"] .status')).toHaveText("completed", { timeout: 180_000 });
  // The critic's turns after the fork point come from the other model.
  await expect(timeline.getByRole("article", { name: /^Message \d+ from critic$/ }).last()).toContainText(/conclave-generated/);

  // 4. Jump to the fork point: message 4 of the fork (the parent's, taken over) is shown and highlighted.
  await lineage.getByRole("button", { name: "Jump to fork point" }).click();
  const copied = timeline.getByRole("article", { name: "Message 4 from analyzer" });
  await expect(copied).toBeVisible();
  await expect(copied).toHaveClass(/highlight/);
  await timeline.screenshot({ path: `${ARTIFACTS}forked-session.png` });

  // 5. Open the parent at the fork point: it lists its fork.
  await lineage.getByRole("button", { name: "Open parent at #4" }).click();
  await expect(sessions.locator('[aria-current="true"] .session-title')).toHaveText(/^\s*Fork source\s*$/);
  await expect(timeline.getByRole("article", { name: "Message 4 from analyzer" })).toHaveClass(/highlight/);
  const family = timeline.getByRole("group", { name: "Forks and replays" });
  await expect(family.getByRole("button", { name: /^Fork at #4 · Fork source · fork at #4 \(completed\)$/ })).toBeVisible();

  // 6. Replay the parent: the replay runs with the same seed, then its divergence report shows.
  await timeline.getByRole("button", { name: "Replay", exact: true }).click();
  await expect(sessions.locator('[aria-current="true"]')).toContainText(`${TITLE} · replay`);
  await expect(lineage).toContainText(`Replay of ${TITLE}`);
  const report = lineage.getByRole("status", { name: "Divergence report" });
  await expect(report).toContainText(/Identical to the source: \d+ messages match|Diverges at message \d+/, { timeout: 180_000 });
  await timeline.screenshot({ path: `${ARTIFACTS}replay-report.png` });
});
