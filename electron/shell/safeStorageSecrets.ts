/**
 * {@link SecretStore} on Electron's safeStorage: keys are encrypted with the OS keychain (macOS
 * Keychain, Windows DPAPI, libsecret) and only the ciphertext is written, to a 0600 file in the
 * app's data folder. Environment variables still win, so a headless override works the same here.
 */
import { readFile, writeFile } from "node:fs/promises";
import { safeStorage } from "electron";
import { EnvSecretStore, noteSecret, type SecretStore } from "../engine/engineTools.js";

export class SafeStorageSecrets implements SecretStore {
  private readonly env = new EnvSecretStore();

  /** @param file where the encrypted keys live, e.g. `join(app.getPath("userData"), "keys.bin.json")`. */
  constructor(private readonly file: string) {}

  private async read(): Promise<Record<string, string>> {
    try {
      const parsed: unknown = JSON.parse(await readFile(this.file, "utf8"));
      return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, string>) : {};
    } catch {
      return {};
    }
  }

  private async write(all: Record<string, string>): Promise<void> {
    await writeFile(this.file, JSON.stringify(all), { mode: 0o600 });
  }

  async get(name: string): Promise<string | null> {
    const fromEnv = await this.env.get(name);
    if (fromEnv) return fromEnv;
    const sealed = (await this.read())[name];
    if (!sealed || !safeStorage.isEncryptionAvailable()) return null;
    return noteSecret(safeStorage.decryptString(Buffer.from(sealed, "base64")));
  }

  async set(name: string, value: string): Promise<void> {
    if (!safeStorage.isEncryptionAvailable()) throw new Error("the OS keychain is not available; use CONCLAVE_<NAME>_API_KEY instead");
    noteSecret(value);
    await this.write({ ...(await this.read()), [name]: safeStorage.encryptString(value).toString("base64") });
  }

  async delete(name: string): Promise<void> {
    const all = await this.read();
    delete all[name];
    await this.write(all);
  }
}
