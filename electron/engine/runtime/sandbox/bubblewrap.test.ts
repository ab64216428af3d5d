/** The bubblewrap argv on given paths: what the empty /tmp and home would hide comes back read-only. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { bubblewrapArgv } from "./bubblewrap.js";

const base = { bwrap: "/usr/bin/bwrap", network: false, addressSpaceMb: 8192, fileSizeMb: 64 };

/** Index of the `--ro-bind dir dir` that re-exposes `dir`, or -1. */
function roBindOf(args: string[], dir: string): number {
  return args.findIndex((a, i) => a === "--ro-bind" && args[i + 1] === dir && args[i + 2] === dir);
}

test("a project checked out under /tmp keeps its Node and node_modules readable, after the empty /tmp", () => {
  const args = bubblewrapArgv({ ...base, workspace: "/tmp/ws-1", readOnly: ["/tmp/clone/node_modules"], home: null, argv: ["/tmp/clone/node_modules/node/bin/node", "-e", "0"] });
  const tmpfs = args.findIndex((a, i) => a === "--tmpfs" && args[i + 1] === "/tmp");
  assert.ok(tmpfs >= 0);
  assert.ok(roBindOf(args, "/tmp/clone/node_modules") > tmpfs, "node_modules is bound over the empty /tmp");
  assert.ok(roBindOf(args, "/tmp/clone/node_modules/node/bin") > tmpfs, "the program's own folder is bound too");
  assert.ok(args.indexOf("/tmp/ws-1") > tmpfs, "the workspace is bound writable after the empty /tmp");
});

test("folders outside the hidden mounts are not bound again; those under a hidden home are", () => {
  const args = bubblewrapArgv({ ...base, workspace: "/tmp/ws-2", readOnly: ["/opt/app/node_modules", "/home/r/proj/node_modules"], home: "/home/r", argv: ["tsc", "-p", "."] });
  assert.equal(roBindOf(args, "/opt/app/node_modules"), -1, "already readable through the read-only root");
  const home = args.findIndex((a, i) => a === "--tmpfs" && args[i + 1] === "/home/r");
  assert.ok(home >= 0 && roBindOf(args, "/home/r/proj/node_modules") > home);
  assert.ok(args.includes("--unshare-net"));
});
