/** A memory estimate in words, the same in the library list, the load dialog and the seat card. */
import { estimateTotalBytes, type MemoryEstimate } from "../../../shared/memoryEstimate.js";
import { formatBytes } from "./format.js";

/** `14.2 MB`: the total the three places show. */
export function estimateTotalText(e: MemoryEstimate): string {
  return formatBytes(estimateTotalBytes(e));
}

/** `weights 1.1 MB + KV cache 2.0 MB + process 11.1 MB`: what the total counts. */
export function estimatePartsText(e: MemoryEstimate): string {
  return `weights ${formatBytes(e.weightsBytes)} + KV cache ${formatBytes(e.contextBytes)} + process ${formatBytes(e.processBytes)}`;
}
