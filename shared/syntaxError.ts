/**
 * The reason of a JSON or YAML syntax error without the text around it. V8's JSON errors quote
 * the input (`Unexpected token 'h', "hello world" is not valid JSON`), and a file given in the wrong
 * place (a key file named as a task file) would have its first characters printed; an error names
 * the file, the line and the reason, never the content.
 */

/** The error's reason, with any quoted input removed; the position kept where the parser gave one. */
export function syntaxErrorReason(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
  const position = /\bat position (\d+)(?: \(line (\d+) column (\d+)\))?/.exec(message);
  const where = position ? (position[2] ? ` at line ${position[2]}, column ${position[3]}` : ` at character ${Number(position[1]) + 1}`) : "";
  if (/^Unexpected token/.test(message)) return `unexpected character${where}`;
  if (/^Unexpected end of JSON input/.test(message)) return "the text ends too early";
  if (/^Unterminated string/.test(message)) return `unterminated string${where}`;
  if (/^Bad control character/.test(message)) return `a control character inside a string${where}`;
  // Other V8 messages ("Expected ',' or '}' after property value in JSON at position 6") quote no input.
  const reason = message.replace(/,?\s*"[^"]*"\s*is not valid JSON/, "").replace(/\s*\bat position \d+.*$/, "").trim();
  // YAML's first line ends with "at line L, column C:" before the quoted source, which is dropped.
  return `${reason.replace(/:\s*(['"`]).*$/, "").replace(/:\s*$/, "") || "not valid"}${where}`;
}
