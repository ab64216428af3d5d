/** The role palette: distinct, well-separated colours for a session's roles, stable by name. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ROLE_HUES, roleHue, roleHues } from "./rolePalette.js";

const distance = (a: number, b: number) => Math.min(Math.abs(a - b), 360 - Math.abs(a - b));

test("a session's roles get distinct hues at least 36° apart, whatever their names", () => {
  const sets = [
    ["analyzer", "critic", "optimizer", "writer", "user", "system"],
    ["teller", "critic", "user", "system"],
    ["A", "B", "C", "D", "E", "F"],
    ["proposer", "skeptic", "judge", "chair", "user", "system"],
  ];
  for (const roles of sets) {
    const hues = [...roleHues(roles).values()];
    assert.equal(hues.length, roles.length);
    for (let i = 0; i < hues.length; i++) for (let j = i + 1; j < hues.length; j++) assert.ok(distance(hues[i]!, hues[j]!) >= 36, `${roles.join(",")}: ${hues[i]} vs ${hues[j]}`);
  }
  for (let i = 0; i < ROLE_HUES.length; i++) for (let j = i + 1; j < ROLE_HUES.length; j++) assert.ok(distance(ROLE_HUES[i]!, ROLE_HUES[j]!) >= 36);
});

test("a role's hue depends on the role names only, not on their order", () => {
  assert.deepEqual(roleHues(["critic", "teller"]), roleHues(["teller", "critic", "teller"]));
  assert.equal(roleHue("critic", ["teller", "critic"]), roleHues(["critic", "teller"]).get("critic"));
  assert.equal(roleHue("stranger"), roleHue("stranger", ["teller"]));
});
