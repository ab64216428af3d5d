/**
 * You at the table, in Chromium over the loopback host: an experiment with two model members and two
 * human seats (the only voters) runs; the banner says whose turn it is, the composer in the timeline
 * sends each seat's turn from the keyboard (type, references, confidence), the session list says
 * "waiting for you", opposite ballots tie the vote, and the tie is settled from the banner with a
 * reason — recorded as the researcher's decision. A screenshot of the banner goes to e2e/artifacts/.
 */
import { expect, test } from "@playwright/test";
import { ARTIFACTS, hostPerFile, openApp, openEditor } from "./specHost.js";

const host = hostPerFile();

test("answer human seats' turns from the composer and settle the tie the session paused on", async ({ page }) => {
  await openApp(page, host());
  const editor = await openEditor(page);
  const model = await editor.getByLabel("Role 1 model", { exact: true }).inputValue();
  expect(model).not.toBe("");
  await editor.getByRole("tab", { name: "JSON / YAML" }).click();
  await editor.getByLabel("Experiment source").fill(
    JSON.stringify({
      title: "You at the table",
      task: "Name a river.",
      seed: 7,
      roles: [
        { name: "a", model, maxTokens: 24, contextSize: 512 },
        { name: "b", model, maxTokens: 24, contextSize: 512 },
        { name: "you", human: true },
        { name: "me", human: true },
      ],
      protocol: { kind: "roundtable", rounds: 1, stopWhen: "rounds", voters: ["you", "me"] },
      arbitration: { on: ["tie"], fallback: "protocol" },
    }),
  );
  await expect(editor.getByText("The experiment is valid.")).toBeVisible();
  await editor.getByRole("button", { name: "Start session" }).click();
  await expect(editor).toBeHidden();

  const timeline = page.getByRole("region", { name: "Conversation timeline" });
  const banner = timeline.getByRole("region", { name: "Waiting for you" });
  const sessions = page.getByRole("navigation", { name: "Sessions" });
  const composer = timeline.getByRole("form", { name: "Composer" });
  const turns: { role: string; content: string; refs?: string; confidence?: string }[] = [
    { role: "you", content: "The Nile.", confidence: "80" },
    { role: "me", content: "The Amazon." },
    { role: "you", content: "Both are long rivers." },
    { role: "me", content: "Agreed, both fine." },
    { role: "you", content: "a first", refs: "a, b, me" },
    { role: "me", content: "b first", refs: "b, a, you" },
  ];
  for (const [i, turn] of turns.entries()) {
    await expect(banner).toContainText(`${turn.role}'s turn`, { timeout: 180_000 });
    if (i === 0) {
      await expect(sessions.locator('[aria-current="true"] .status')).toHaveText("waiting for you");
      await banner.screenshot({ path: `${ARTIFACTS}waiting-for-you.png` });
    }
    const text = composer.getByRole("textbox", { name: `Your turn as ${turn.role}` });
    await text.focus();
    await page.keyboard.type(turn.content);
    if (turn.refs) await composer.getByRole("textbox", { name: "References" }).fill(turn.refs);
    if (turn.confidence) await composer.getByRole("spinbutton", { name: "Confidence percent" }).fill(turn.confidence);
    await text.focus();
    await page.keyboard.press("Control+Enter");
    // The list is virtual: scroll to its end, where the new message is drawn.
    const log = timeline.getByRole("log", { name: "Messages" });
    await expect(async () => {
      await log.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
      await expect(timeline.getByRole("article", { name: new RegExp(`^Message \\d+ from ${turn.role}$`) }).filter({ hasText: turn.content })).toHaveCount(1, { timeout: 2_000 });
    }).toPass();
  }

  // The opposite ballots tie a and b: the banner shows the candidates and waits for a decision.
  await expect(banner).toContainText("waiting for your decision: a tie", { timeout: 180_000 });
  await banner.getByRole("textbox", { name: "Reason for your decision" }).fill("b names its river");
  const pickB = banner.getByRole("button", { name: /^Pick [AB] by b$/ });
  await pickB.focus();
  await page.keyboard.press("Enter");
  await expect(sessions.locator('[aria-current="true"] .status')).toHaveText("completed", { timeout: 180_000 });
  const decision = timeline.getByRole("article", { name: /^Message \d+ from user$/ }).filter({ hasText: /Decision \(tie, round \d+\): [AB] by b wins\. Reason: b names its river/ });
  await expect(decision).toHaveCount(1);
  await expect(decision).toContainText("from you");
});
