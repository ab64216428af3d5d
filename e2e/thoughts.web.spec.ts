/**
 * A reasoning model's thought in the web UI, on a scripted Qwen 3-template GGUF (generated on a fresh
 * clone) beside the real test model: import an experiment naming both, run it, and see the thought
 * in a collapsible block, closed by default, apart from the message's content; the Metrics view's
 * thought tokens apart from answer tokens; and the export report saying what each format did with
 * the thought. Screenshots go to e2e/artifacts/.
 */
import { expect, test } from "@playwright/test";
import { realTestModel, scriptedModel } from "../models/test/testModels.js";
import { ARTIFACTS, hostPerFile, openApp, openEditor } from "./specHost.js";

const THOUGHT = "A queue keeps arrival order, which the task needs.";
const TURN = { type: "proposal", content: "Use a queue.", referencesTo: [], confidence: 0.8 };
const SCRIPT = `<think>\n${THOUGHT}\n</think>\n\n${JSON.stringify(TURN)}`;

const host = hostPerFile();

test("a thought shows as a closed, expandable block apart from the content, is counted apart in Metrics, and exported per format", async ({ page }) => {
  test.setTimeout(360_000);
  const experiment = {
    title: "Thinking spooler",
    task: "Queue or stack for a print spooler?",
    seed: 3,
    roles: [
      { name: "thinker", model: await scriptedModel(SCRIPT, { template: "qwen3" }), maxTokens: 64 },
      { name: "teller", model: await realTestModel(), maxTokens: 24 },
    ],
    protocol: { kind: "roundtable", rounds: 1, vote: false, stopWhen: "rounds" },
  };
  await openApp(page, host());
  const editor = await openEditor(page);
  await editor.getByLabel("Import experiment").setInputFiles({ name: "thinking.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(experiment)) });
  await expect(editor.getByLabel("Title", { exact: true })).toHaveValue(experiment.title);
  await expect(editor.getByText("The experiment is valid.")).toBeVisible();
  await editor.getByRole("button", { name: "Start session" }).click();
  await expect(editor).toBeHidden();

  const sessions = page.getByRole("navigation", { name: "Sessions" });
  await expect(sessions.locator('[aria-current="true"] .status')).toHaveText("completed", { timeout: 300_000 });
  const timeline = page.getByRole("region", { name: "Conversation timeline" });

  // 1. The timeline: the thought in its own block, closed until opened; the content without it.
  const message = timeline.getByRole("article", { name: /^Message \d+ from thinker$/ }).first();
  const seq = /^Message (\d+) from/.exec((await message.getAttribute("aria-label")) ?? "")?.[1];
  const block = message.getByRole("group", { name: `Thought of message ${seq}` });
  await expect(block).toBeVisible();
  await expect(block).toHaveJSProperty("open", false);
  await expect(block.getByTestId("thought-text")).toBeHidden();
  await expect(message.locator(".msg-body")).toHaveText(TURN.content);
  await block.locator("summary").click();
  await expect(block).toHaveJSProperty("open", true);
  await expect(block.getByTestId("thought-text")).toHaveText(THOUGHT);
  await expect(block.locator("summary")).toContainText(/\d+ tokens/);
  await expect(message).toContainText(/\d+ tok \+ \d+ thought/);
  await message.screenshot({ path: `${ARTIFACTS}thought-block.png` });
  // The peer's message never carries a thought of its own (the stories model does not think).
  await expect(timeline.getByRole("article", { name: /^Message \d+ from teller$/ }).first().getByRole("group", { name: /^Thought of message/ })).toHaveCount(0);

  // 2. Metrics: thought tokens beside answer tokens, per role.
  await page.getByRole("tab", { name: "Metrics" }).click();
  await page.getByRole("button", { name: "Show tables" }).click();
  const table = page.getByRole("table", { name: "Thought and answer tokens by role (table)" });
  const thinkerRow = table.getByRole("row", { name: /^thinker / });
  await expect(thinkerRow).toBeVisible();
  const cells = await thinkerRow.getByRole("cell").allTextContents();
  // Columns: role, answer tokens, thought tokens, thinking s, turns with a thought.
  const [answerTokens, thoughtTokens, , thinkingTurns] = cells.slice(-4).map(Number);
  expect(answerTokens).toBeGreaterThan(0);
  expect(thoughtTokens).toBeGreaterThan(0);
  // Every thinker turn thinks (the script opens with its thought): the proposal and any later turn of the round.
  expect(thinkingTurns).toBeGreaterThanOrEqual(1);
  await expect(table.getByRole("row", { name: /^teller / }).getByRole("cell").last()).toHaveText("0");

  // 3. Export: the report says what each format did with the thought.
  const exportAs = async (label: string) => {
    await page.getByRole("button", { name: "Export", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Export session" });
    await dialog.getByLabel("Format").selectOption({ label });
    await dialog.getByRole("button", { name: "Export", exact: true }).click();
    const report = dialog.getByRole("region", { name: "Validation report" });
    await expect(report).toBeVisible();
    return { dialog, report };
  };
  const openai = await exportAs("OpenAI chat JSONL");
  await expect(openai.report).toContainText(/had a thought: dropped, since OpenAI chat fine-tuning has no field for thoughts \(\d+ dropped\)/);
  await openai.dialog.locator(".dialog-foot").getByRole("button", { name: "Close" }).click();
  const sharegpt = await exportAs("ShareGPT (LLaMA-Factory)");
  await expect(sharegpt.report).toContainText("written as <think>…</think> at the start of the content (LLaMA-Factory's reasoning templates)");
  await sharegpt.report.screenshot({ path: `${ARTIFACTS}thought-export.png` });
});
