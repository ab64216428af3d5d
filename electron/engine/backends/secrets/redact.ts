/**
 * Redaction of secrets from anything that leaves the process as text: log lines, error messages,
 * exported or stored strings. Every key a {@link SecretStore} hands out is noted here, so the
 * redactor knows the exact values to remove; bearer headers and common key shapes are masked too.
 */

const known = new Set<string>();
const MASK = "[redacted]";
/** Keys shorter than this are not noted: masking them would garble ordinary text. */
const MIN_LENGTH = 8;

/** Remembers `value` as a secret to redact; returns it unchanged. */
export function noteSecret(value: string): string {
  if (value.length >= MIN_LENGTH) known.add(value);
  return value;
}

/** Removes every noted secret, bearer token and `sk-…`-style key from `text`. */
export function redact(text: string): string {
  let out = text;
  for (const s of known) out = out.split(s).join(MASK);
  return out
    .replace(/(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, `$1${MASK}`)
    .replace(/\b(sk|pk|rk)-[A-Za-z0-9_-]{16,}\b/g, MASK)
    .replace(/("?(?:api[_-]?key|authorization|x-api-key)"?\s*[:=]\s*"?)[^"\s,}]{8,}/gi, `$1${MASK}`);
}
