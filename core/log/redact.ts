// Redaction for log output, in two layers. pino's `redact` censors the fields where keys are
// expected to sit. The scrubber then replaces any registered secret wherever it appears in a line,
// such as an error message, a URL, or a header logged under an unexpected name.

export const REDACTED = '[redacted]';

const SECRET_FIELDS = ['apiKey', 'api_key', 'sandboxApiKey', 'password', 'authorization', 'Authorization'];

/**
 * Object paths whose values pino censors before a line is serialized (fast-redact syntax): each
 * secret field at the top level and up to two objects deep, and the Authorization header of a
 * `headers` object up to two objects deep. Deeper copies are left to the scrubber.
 */
export const REDACT_PATHS: readonly string[] = [
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]),
  ...['authorization', 'Authorization'].flatMap((header) => [
    `headers.${header}`,
    `*.headers.${header}`,
    `*.*.headers.${header}`,
  ]),
];

/**
 * Values shorter than this are not scrubbed, because replacing a very short string in every line
 * would rewrite ordinary text and numbers (a key of "30" would corrupt every `"level":30`).
 * NOTE: assumes real API keys are at least this long; a shorter key would reach the logs unscrubbed.
 */
export const MIN_SCRUBBED_SECRET_LENGTH = 8;

// Every form in which a registered secret could reach a log line, longest first so that a form
// containing another is replaced whole.
const scrubbedForms = new Set<string>();
let sortedForms: string[] = [];

/** Returns the forms of `secret` that are scrubbed: raw, JSON-escaped, percent-encoded and HTTP Basic credentials. */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  // JSON.stringify escapes quotes, backslashes and control characters inside a log line.
  forms.add(JSON.stringify(secret).slice(1, -1));
  // A key placed in a URL query string is percent-encoded.
  forms.add(encodeURIComponent(secret));
  // Ashby takes the key as the Basic-auth user name with an empty password: base64("<key>:").
  forms.add(Buffer.from(`${secret}:`, 'utf8').toString('base64'));
  return [...forms];
}

/**
 * Registers a secret so that every log line written afterwards has it replaced with `[redacted]`.
 * Returns false, and registers nothing, for a value shorter than MIN_SCRUBBED_SECRET_LENGTH.
 */
export function registerSecret(secret: string): boolean {
  if (secret.length < MIN_SCRUBBED_SECRET_LENGTH) return false;
  for (const form of secretForms(secret)) scrubbedForms.add(form);
  sortedForms = [...scrubbedForms].sort((a, b) => b.length - a.length);
  return true;
}

/** Replaces every registered secret in `text` with `[redacted]`. */
export function scrubSecrets(text: string): string {
  let result = text;
  for (const form of sortedForms) {
    if (result.includes(form)) result = result.split(form).join(REDACTED);
  }
  return result;
}
