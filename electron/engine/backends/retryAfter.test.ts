/** `Retry-After` as servers send it: seconds, an HTTP date, nonsense; and the cap on the wait. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { MAX_RETRY_AFTER_MS, retryAfterMs } from "./retryAfter.js";

test("Retry-After in seconds or as a date becomes a capped wait; anything else is no wait", () => {
  assert.equal(retryAfterMs("2"), 2000);
  assert.equal(retryAfterMs(" 0 "), 0);
  assert.equal(retryAfterMs("3600"), MAX_RETRY_AFTER_MS, "an hour is capped");
  const now = Date.parse("2026-01-01T00:00:00Z");
  assert.equal(retryAfterMs("Thu, 01 Jan 2026 00:00:05 GMT", now), 5000);
  assert.equal(retryAfterMs("Wed, 31 Dec 2025 23:59:00 GMT", now), 0, "a date in the past: retry now");
  assert.equal(retryAfterMs("soon"), null);
  assert.equal(retryAfterMs(null), null);
  assert.equal(retryAfterMs(""), null);
});
