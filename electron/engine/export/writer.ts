/**
 * Streams an export to disk in ~1 MiB chunks. It writes to `<out>.partial` and renames on success,
 * so a failed or interrupted export never leaves a truncated file under the requested name.
 */
import { mkdir, open, rename, rm } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { dirname } from "node:path";

const CHUNK = 1 << 20;

export class ExportWriter {
  private parts: string[] = [];
  private size = 0;

  private constructor(
    readonly path: string,
    private readonly partial: string,
    private readonly handle: FileHandle,
  ) {}

  static async create(path: string): Promise<ExportWriter> {
    await mkdir(dirname(path), { recursive: true });
    const partial = `${path}.partial`;
    return new ExportWriter(path, partial, await open(partial, "w"));
  }

  /** Queues text; awaiting lets the engine's event loop breathe between chunks. */
  async write(text: string): Promise<void> {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= CHUNK) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const text = this.parts.join("");
    this.parts = [];
    this.size = 0;
    await this.handle.write(text);
  }

  async finish(): Promise<void> {
    await this.flush();
    await this.handle.close();
    await rename(this.partial, this.path);
  }

  async abort(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(this.partial, { force: true });
  }
}
