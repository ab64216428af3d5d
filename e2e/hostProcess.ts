/** Starts `e2e/serveFixture.ts` in a child process and reads the URL from its listening line. */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface HostProcess {
  url: string;
  origin: string;
  token: string;
  stop(): Promise<void>;
}

const LINE = /^Conclave listening on (http:\/\/127\.0\.0\.1:(\d+))\/\?token=([\w-]+)$/m;

export async function startHostProcess(): Promise<HostProcess> {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "e2e/serveFixture.ts"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stderr?.on("data", (c: Buffer) => (err += c.toString()));
  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start in 60 s\n${out}\n${err}`)), 60_000);
    child.stdout?.on("data", (c: Buffer) => {
      out += c.toString();
      const m = LINE.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.once("exit", (code) => reject(new Error(`host exited (${code})\n${out}\n${err}`)));
  });
  const [, origin = "", , token = ""] = match;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
