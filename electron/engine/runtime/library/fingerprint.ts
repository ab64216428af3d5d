/**
 * Cheap, stable identity for multi-GB model files: hashing whole files would take seconds each, while
 * size + head + tail tells apart any two real models (and any download that stopped early).
 */
import { createHash } from "node:crypto";
import { openRegularFile } from "./openRegularFile.js";

const EDGE_BYTES = 4 << 20;

/** `fp1:` + hex sha256 over (file size as u64 LE, first 4 MiB, last 4 MiB). */
export async function fingerprintFile(path: string): Promise<string> {
  const { file, size } = await openRegularFile(path);
  try {
    const hash = createHash("sha256");
    const sizeBytes = Buffer.alloc(8);
    sizeBytes.writeBigUInt64LE(BigInt(size));
    hash.update(sizeBytes);
    const edge = Math.min(EDGE_BYTES, size);
    const buf = Buffer.alloc(edge);
    for (const start of [0, size - edge]) {
      let got = 0;
      while (got < edge) {
        const { bytesRead } = await file.read(buf, got, edge - got, start + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      hash.update(buf.subarray(0, got));
    }
    return `fp1:${hash.digest("hex")}`;
  } finally {
    await file.close();
  }
}
