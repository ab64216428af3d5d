/**
 * Searching past sessions in the web UI on a real model: run a short committee, find it again by
 * a word from its task and by a word one of its models wrote, open the hit at its message, and
 * type a query that is nothing but FTS syntax without breaking anything.
 */
import { expect, test } from "@playwright/test";
import { ARTIFACTS, hostPerFile, openApp, openEditor } from "./specHost.js";

const host = hostPerFile();

test("search past sessions by task and message words, open the hit at its message", async ({ page }) => {
  // The form fills its roles with the library's first model: wait for the library.
  await openApp(page, host());
  const editor = await openEditor(page);
  await editor.getByLabel("Task", { exact: true }).fill("Tell a short story about a lighthouse keeper called Zanzibar.");
  await editor.getByLabel("Rounds", { exact: true }).fill("1");
  await expect(editor.getByText("The experiment is valid.")).toBeVisible();
  await editor.getByRole("button", { name: "Start session" }).click();
  await expect(editor).toBeHidden();

  const timeline = page.getByRole("region", { name: "Conversation timeline" });
  const sessions = page.getByRole("navigation", { name: "Sessions" });
  await expect(sessions.locator('[aria-current="true"] .status')).toHaveText("completed", { timeout: 180_000 });

  // A whole word (3+ letters, no letter or digit beside it) from any model message: the index
  // matches words, not parts, and a random-weight stand-in model may write a message without one.
  const modelMessages = timeline.getByRole("article", { name: /^Message \d+ from (?!user|system)/ });
  let pick: { seq: string; role: string; word: string } | null = null;
  for (const message of await modelMessages.all()) {
    const [, seq, role] = /^Message (\d+) from (\S+)$/.exec((await message.getAttribute("aria-label")) ?? "") ?? [];
    const body = (await message.locator(".msg-body").textContent()) ?? "";
    const words = body.match(/(?<![\p{L}\p{N}_])[A-Za-z]{3,}(?![\p{L}\p{N}_])/gu) ?? body.match(/(?<![\p{L}\p{N}_])\p{L}{3,}(?![\p{L}\p{N}_])/gu) ?? [];
    if (seq && role && words[0]) {
      pick = { seq, role, word: words[0] };
      break;
    }
  }
  expect(pick, "a whole word in some model message").toBeTruthy();
  const { seq, role, word } = pick!;

  const box = sessions.getByRole("searchbox", { name: "Search sessions" });
  const results = sessions.getByRole("list", { name: "Search results" });

  // By a word from the task: the session's task and the task message are both hits.
  await box.fill("zanzibar");
  await expect(results.getByRole("button", { name: /at its task$/ })).toBeVisible();
  await expect(results.getByRole("button", { name: /at message 1 from user$/ })).toBeVisible();
  await expect(results.locator("mark").first()).toHaveText(/zanzibar/i);

  // By a word the model wrote: open that message in the timeline.
  await box.fill(word);
  const hit = results.getByRole("button", { name: new RegExp(`at message ${seq} from ${role}$`) });
  await expect(hit).toBeVisible();
  await sessions.screenshot({ path: `${ARTIFACTS}session-search.png` });
  await hit.click();
  await expect(timeline.getByRole("article", { name: `Message ${seq} from ${role}` })).toHaveClass(/highlight/);

  // Input that is only query syntax gets a plain answer, not a failure.
  await box.fill('NEAR("( * -');
  await expect(sessions.getByRole("status")).toHaveText("No matches");
  await box.fill('"( * )"');
  await expect(sessions.getByRole("status")).toContainText("the query has no words to search for");

  // Escape clears the search and brings the session list back.
  await box.press("Escape");
  await expect(sessions.getByRole("list", { name: "Session list" })).toBeVisible();
});
