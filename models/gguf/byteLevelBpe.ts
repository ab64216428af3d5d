/**
 * GPT-2's byte-level alphabet: every byte has one printable character, so a BPE ("gpt2") vocabulary
 * with these 256 single-character tokens tokenizes any text, and llama.cpp decodes each normal
 * token's text back to bytes through the same table.
 */

/** The 256 byte characters, indexed by byte (GPT-2's `bytes_to_unicode`). */
export const BYTE_CHARS: readonly string[] = (() => {
  const chars: string[] = new Array<string>(256);
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  let next = 256;
  for (let b = 0; b < 256; b++) chars[b] = String.fromCodePoint(printable(b) ? b : next++);
  return chars;
})();

/** `text` (UTF-8) in byte-level characters: the spelling a "gpt2" vocabulary stores for it. */
export function toByteLevel(text: string): string {
  let out = "";
  for (const byte of Buffer.from(text, "utf8")) out += BYTE_CHARS[byte];
  return out;
}
