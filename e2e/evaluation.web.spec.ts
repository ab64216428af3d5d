/**
 * A task-set evaluation from the UI on the real model, in Chromium over the loopback host: in the
 * experiment editor's "Tasks & evaluation" section add two inline tasks, a numeric check, an answer
 * pattern and a self-consistency baseline, press "Run evaluation", follow it in the "Results" tab to
 * its end, and see the results there — the per-task table, the committee-against-baseline charts,
 * conformity — then download `results.json` and check it: the shared schema's shape, and the
 * baseline within 10% of the committee's tokens on every task. Screenshot to e2e/artifacts/.
 */
import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { EvalResults } from "../shared/evalResults.js";
import { ARTIFACTS, hostPerFile, openApp, openEditor } from "./specHost.js";

const host = hostPerFile();

test("run a task set with a same-budget baseline from the editor and read its results", async ({ page }) => {
  test.setTimeout(480_000);
  await openApp(page, host());

  const editor = await openEditor(page);
  await editor.getByLabel("Title", { exact: true }).fill("Sums from the UI");
  await editor.getByLabel("Task", { exact: true }).fill("Answer the question with a number.");
  await editor.getByLabel("Rounds", { exact: true }).fill("1");

  // Tasks & evaluation: two inline tasks, a numeric check, an answer pattern, a baseline.
  const section = editor.getByRole("region", { name: "Tasks & evaluation" });
  await section.getByLabel("Task set", { exact: true }).selectOption("inline");
  await section.getByLabel("Task 1 id").fill("two");
  await section.getByLabel("Task 1 prompt").fill("What is 1 + 1?");
  await section.getByLabel("Task 1 reference").fill("2");
  await section.getByRole("button", { name: "Add task" }).click();
  await section.getByLabel("Task 2 id").fill("six");
  await section.getByLabel("Task 2 prompt").fill("What is 3 + 3?");
  await section.getByLabel("Task 2 reference").fill("6");
  await section.getByLabel("Check", { exact: true }).selectOption("numeric");
  await section.getByLabel("Extract answer (regex)").fill("(\\d+)");
  await section.getByLabel("Baseline", { exact: true }).selectOption("self-consistency");
  await expect(editor.getByText("The experiment is valid.")).toBeVisible();
  await section.screenshot({ path: `${ARTIFACTS}evaluation-editor.png` });
  await editor.getByRole("button", { name: "Run evaluation" }).click();
  await expect(editor).toBeHidden();

  // The Results tab follows the run to its end.
  await expect(page.getByRole("tab", { name: "Results" })).toHaveAttribute("aria-selected", "true");
  const results = page.getByRole("region", { name: "Results" });
  await expect(results.getByRole("combobox", { name: "Evaluation run" })).toContainText("Sums from the UI");
  const progress = results.getByRole("status", { name: "Evaluation progress" });
  await expect(progress).toContainText(/2 of 2 tasks done · completed/, { timeout: 420_000 });

  // Per-task table: both tasks, each side's answer, check and tokens.
  const table = results.getByRole("table", { name: "Tasks" });
  for (const id of ["two", "six"]) {
    const row = table.getByRole("row", { name: `Task ${id}` });
    await expect(row).toContainText("done");
    await expect(row.getByRole("cell").nth(3)).toHaveText(/^\d+$/);
    await expect(row.getByRole("cell").nth(6)).toHaveText(/^\d+$/);
    await expect(row.getByRole("button", { name: "Open" })).toBeVisible();
  }
  // Committee against baseline, with the interval; tokens; calibration; conformity.
  await expect(results.getByRole("figure", { name: "Accuracy: committee against baseline" })).toContainText(/Committee: [\d.]+% \(\d of 2\); Baseline \(self-consistency\): [\d.]+% \(\d of 2\)/);
  await expect(results.getByRole("figure", { name: "Accuracy delta with 95% interval" })).toContainText(/95% interval .* McNemar p = [\d.]+/);
  const tokens = results.getByRole("figure", { name: "Tokens per task" });
  await expect(tokens).toContainText("the baseline is within ±10% of the committee's budget on 2 of 2 tasks");
  await expect(tokens.locator(".recharts-bar-rectangle")).toHaveCount(4);
  await expect(results.getByRole("figure", { name: "Calibration by model" })).toBeVisible();
  await expect(results.getByRole("note", { name: "Conformity" })).toContainText(/of 2 sessions/);
  // Member advice over the run's task sessions, in the Results view.
  const advice = results.getByRole("region", { name: "Member contribution and pruning advice" });
  await advice.getByRole("button", { name: "Advise" }).click();
  await expect(advice).toContainText("This evaluation's 2 task sessions");
  await expect(advice.getByRole("rowheader").first()).toBeVisible();
  await expect(advice.getByRole("table")).toContainText(/KEEP|PRUNE|REPLACE/);
  await results.screenshot({ path: `${ARTIFACTS}evaluation-results.png` });

  // results.json as downloaded: the shared schema's shape, the budget met on every task.
  const [download] = await Promise.all([page.waitForEvent("download"), results.getByRole("button", { name: "Download results.json" }).click()]);
  expect(download.suggestedFilename()).toBe("results.json");
  const parsed = EvalResults.parse(JSON.parse(readFileSync((await download.path())!, "utf8")));
  expect(parsed.tasks.map((t) => t.id)).toEqual(["two", "six"]);
  expect(parsed.baselineKind).toBe("self-consistency");
  // The calibration chart draws the rows results.json holds, or says why there are none (never an empty frame).
  const calibration = results.getByRole("figure", { name: "Calibration by model" });
  if (parsed.calibration.length === 0) {
    await expect(calibration.getByRole("note", { name: "Calibration by model: nothing to draw" })).toContainText(/^Nothing to calibrate: /);
    await expect(calibration.locator(".chart-box")).toHaveCount(0);
  } else {
    await expect(calibration.locator(".recharts-bar-rectangle").first()).toBeAttached();
  }
  for (const t of parsed.tasks) {
    expect(t.baseline).not.toBeNull();
    expect(Math.abs(t.baseline!.tokens - t.committee.tokens)).toBeLessThanOrEqual(0.1 * t.committee.tokens);
  }

  // A task's session opens in the committee view.
  await table.getByRole("row", { name: "Task two" }).getByRole("button", { name: "Open" }).click();
  await expect(page.getByRole("region", { name: "Conversation timeline" }).getByRole("article", { name: /^Message \d+ from / }).first()).toBeVisible();
});
