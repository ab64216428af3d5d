/**
 * API keys for backends. Keys live only here and in the backend that uses them: never in the
 * database, exports or logs. Headless, a key comes from `CONCLAVE_<NAME>_API_KEY` or from a keys
 * file the user alone can read (0600); on the Mac the Electron shell implements the same interface
 * with safeStorage (electron/shell/safeStorageSecrets.ts).
 */
import { readFile, stat, writeFile, chmod } from "node:fs/promises";
import { noteSecret } from "./redact.js";

/** Where backend API keys come from, by backend name. */
export interface SecretStore {
  get(name: string): Promise<string | null>;
  /** Optional: stores a key (the shell's safeStorage, the keys file). */
  set?(name: string, value: string): Promise<void>;
  delete?(name: string): Promise<void>;
}

/** `CONCLAVE_<NAME>_API_KEY` for backend `name`: upper-cased, every other character as `_`. */
export function envKeyName(name: string): string {
  return `CONCLAVE_${name.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_API_KEY`;
}

export class EnvSecretStore implements SecretStore {
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  async get(name: string): Promise<string | null> {
    const v = this.env[envKeyName(name)];
    return v ? noteSecret(v) : null;
  }
}

/**
 * A JSON file `{ "<backend>": "<key>" }`. It is refused unless only its owner can read it, the
 * same rule ssh applies to private keys, so a key never sits in a world-readable file unnoticed.
 */
export class FileSecretStore implements SecretStore {
  constructor(private readonly file: string) {}

  private async read(): Promise<Record<string, string>> {
    const s = await stat(this.file).catch(() => null);
    if (!s) return {};
    if (process.platform !== "win32" && (s.mode & 0o077) !== 0) {
      throw new Error(`keys file ${this.file} is readable by others (mode ${(s.mode & 0o777).toString(8)}); run: chmod 600 ${this.file}`);
    }
    const parsed: unknown = JSON.parse(await readFile(this.file, "utf8"));
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error(`keys file ${this.file} is not a JSON object`);
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === "string"));
  }

  async get(name: string): Promise<string | null> {
    const v = (await this.read())[name];
    return v ? noteSecret(v) : null;
  }

  async set(name: string, value: string): Promise<void> {
    const all = { ...(await this.read()), [name]: value };
    await writeFile(this.file, JSON.stringify(all, null, 2), { mode: 0o600 });
    await chmod(this.file, 0o600);
    noteSecret(value);
  }

  async delete(name: string): Promise<void> {
    const all = await this.read();
    delete all[name];
    await writeFile(this.file, JSON.stringify(all, null, 2), { mode: 0o600 });
  }
}

/**
 * The first store with a key wins (environment before file, say). Keys are written to, and deleted
 * from, the first store that can store them, so a chain over the environment and a keys file is writable.
 */
export class ChainSecretStore implements SecretStore {
  constructor(private readonly stores: SecretStore[]) {}

  /** Whether some store in the chain can store keys. */
  get writable(): boolean {
    return this.stores.some((s) => s.set !== undefined);
  }

  async set(name: string, value: string): Promise<void> {
    const target = this.stores.find((s) => s.set !== undefined);
    if (!target?.set) throw new Error(`no writable key store: set ${envKeyName(name)} in the environment instead`);
    await target.set(name, value);
  }

  async delete(name: string): Promise<void> {
    for (const s of this.stores) await s.delete?.(name);
  }

  async get(name: string): Promise<string | null> {
    for (const s of this.stores) {
      const v = await s.get(name);
      if (v) return v;
    }
    return null;
  }
}

/** The headless default: environment, then the keys file when one is given. */
export function headlessSecrets(keysFile?: string, env: NodeJS.ProcessEnv = process.env): SecretStore {
  return new ChainSecretStore([new EnvSecretStore(env), ...(keysFile ? [new FileSecretStore(keysFile)] : [])]);
}
