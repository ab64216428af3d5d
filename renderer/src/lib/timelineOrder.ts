/**
 * The timeline's rows in order: stored messages and the session's hot swaps by time (a swap after
 * the turn its old model was still writing, see swapPlacement.ts), then the live streams.
 */
import type { Message } from "../../../shared/conversation.js";
import type { SwapEvent } from "../../../shared/slots.js";
import { swapPlace } from "./swapPlacement.js";

/** A message still being generated: tokens so far, keyed by generation id. */
export interface LiveStream {
  generationId: string;
  role: string;
  text: string;
  /** The thought segment streamed so far (reasoning models), apart from the content. */
  thought: string;
  startedAt: number;
}

export type TimelineItem =
  | { kind: "message"; key: string; at: number; message: Message }
  | { kind: "swap"; key: string; at: number; swap: SwapEvent }
  | { kind: "stream"; key: string; at: number; stream: LiveStream };

/** Merges messages, swaps of the session's roles and live streams into one time-ordered list. */
export function timelineItems(
  messages: Message[],
  swaps: SwapEvent[],
  streams: Record<string, LiveStream>,
  hiddenRoles: string[],
  hiddenTypes: string[],
  sessionRoles: string[],
): TimelineItem[] {
  const items: TimelineItem[] = [];
  for (const m of messages) {
    if (hiddenRoles.includes(m.from) || hiddenTypes.includes(m.type)) continue;
    items.push({ kind: "message", key: m.id, at: m.createdAt, message: m });
  }
  for (const s of swaps) {
    if (!sessionRoles.includes(s.role) || hiddenRoles.includes(s.role) || hiddenTypes.includes("swap")) continue;
    items.push({ kind: "swap", key: `swap-${s.role}-${s.at}`, at: swapPlace(s, messages), swap: s });
  }
  items.sort((a, b) => a.at - b.at);
  for (const stream of Object.values(streams)) {
    if (hiddenRoles.includes(stream.role)) continue;
    items.push({ kind: "stream", key: `live-${stream.generationId}`, at: stream.startedAt, stream });
  }
  return items;
}
