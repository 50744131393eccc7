import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** Formats 16 bytes as a version-4-shaped UUID so the ids pass the OpenAPI `uuid` format. */
function formatUuid(bytes: Buffer): string {
  const b = Buffer.from(bytes.subarray(0, 16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Derives a stable UUID from a name, so seeded data has the same ids on every start. */
export function uuidFromName(name: string): string {
  return formatUuid(createHash('sha256').update(name).digest());
}

/**
 * Hands out ids for one tenant: deterministic (name + counter) for seeded data, random for
 * records created through the API at run time.
 */
export class IdSource {
  private counter = 0;

  constructor(private readonly namespace: string | null) {}

  next(): string {
    if (this.namespace === null) return randomUUID();
    this.counter += 1;
    return uuidFromName(`${this.namespace}#${this.counter}`);
  }
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Builds a 26-character ULID-like request id (48-bit time, 80 random bits), like Ashby's `x-ashby-request-id`. */
export function newRequestId(nowMs: number): string {
  let time = '';
  let t = Math.max(0, Math.floor(nowMs));
  for (let i = 0; i < 10; i++) {
    time = (CROCKFORD[t % 32] ?? '0') + time;
    t = Math.floor(t / 32);
  }
  const random = randomBytes(16);
  let tail = '';
  for (let i = 0; i < 16; i++) tail += CROCKFORD[(random[i] ?? 0) % 32];
  return time + tail;
}

/** Returns a URL-safe opaque string of `length` characters (cursors, sync tokens, handles). */
export function opaqueToken(length: number): string {
  return randomBytes(Math.ceil((length * 3) / 4) + 2)
    .toString('base64url')
    .slice(0, length);
}

/** Derives a stable, opaque-looking API key for seeded tenants. */
export function seededApiKey(name: string): string {
  return createHash('sha256').update(`sandbox-api-key:${name}`).digest('base64url').slice(0, 40);
}

/** Returns a fresh random API key of the same shape as the seeded ones. */
export function randomApiKey(): string {
  return randomBytes(30).toString('base64url').slice(0, 40);
}

/** Seedable PRNG (mulberry32) for fault decisions, so a fault `rate` gives the same run every time. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
