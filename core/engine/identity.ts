// Identity keys used to match a console candidate with an Ashby candidate. Email comes first, then
// LinkedIn; a name alone never links two records.

export type EmailResult = { ok: true; email: string; key: string } | { ok: false; reason: string };

export type LinkedInResult =
  { ok: true; url: string; slug: string } | { ok: false; reason: string };

// RFC 5321 limits: 64 octets for the local part, 255 for the domain, 63 per domain label.
const MAX_LOCAL_LENGTH = 64;
const MAX_DOMAIN_LENGTH = 255;
const MAX_LABEL_LENGTH = 63;
// The dot-atom form of RFC 5322. Quoted local parts are rejected because they would make
// comparison unreliable.
const LOCAL_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$/;
const DOMAIN_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;

// Google Mail ignores dots in the local part and delivers `name+tag@` to `name@`, and
// googlemail.com is the same mailbox as gmail.com.
const GOOGLE_MAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/**
 * Validates an email address and derives its comparison key.
 *
 * `email` is the trimmed value as given (what is sent to Ashby); `key` is lower-cased, with the
 * mailbox equivalences of Google Mail applied. Ordinary domains keep dots and `+tags`, because
 * there `jane.roe@` and `janeroe@` may be different people.
 */
export function normalizeEmail(raw: string | null | undefined): EmailResult {
  if (raw === null || raw === undefined) return { ok: false, reason: 'email is missing' };
  const email = raw.trim();
  if (email === '') return { ok: false, reason: 'email is empty' };
  if (/\s/.test(email)) return { ok: false, reason: `email "${email}" contains whitespace` };

  const at = email.lastIndexOf('@');
  if (at < 0) return { ok: false, reason: `email "${email}" has no @` };
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);

  if (local === '') return { ok: false, reason: `email "${email}" has nothing before the @` };
  if (local.length > MAX_LOCAL_LENGTH) {
    return {
      ok: false,
      reason: `email "${email}" has a local part longer than ${MAX_LOCAL_LENGTH} characters`,
    };
  }
  const localAtoms = local.split('.');
  if (localAtoms.some((atom) => !LOCAL_ATOM.test(atom))) {
    return { ok: false, reason: `email "${email}" has an invalid local part "${local}"` };
  }

  if (domain === '') return { ok: false, reason: `email "${email}" has no domain` };
  if (domain.length > MAX_DOMAIN_LENGTH) {
    return {
      ok: false,
      reason: `email "${email}" has a domain longer than ${MAX_DOMAIN_LENGTH} characters`,
    };
  }
  const labels = domain.split('.');
  if (labels.length < 2)
    return { ok: false, reason: `email "${email}" has a domain without a dot` };
  for (const label of labels) {
    if (label.length > MAX_LABEL_LENGTH || !DOMAIN_LABEL.test(label)) {
      return { ok: false, reason: `email "${email}" has an invalid domain "${domain}"` };
    }
  }
  const topLevel = labels[labels.length - 1] ?? '';
  if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(topLevel)) {
    return { ok: false, reason: `email "${email}" has an invalid top-level domain "${topLevel}"` };
  }

  return { ok: true, email, key: emailKey(local, domain) };
}

function emailKey(local: string, domain: string): string {
  const lowerLocal = local.toLowerCase();
  const lowerDomain = domain.toLowerCase();
  if (!GOOGLE_MAIL_DOMAINS.has(lowerDomain)) return `${lowerLocal}@${lowerDomain}`;

  const plus = lowerLocal.indexOf('+');
  const mailbox = (plus >= 0 ? lowerLocal.slice(0, plus) : lowerLocal).replaceAll('.', '');
  return `${mailbox}@gmail.com`;
}

// Profile names may be non-Latin (percent-encoded in links), so letters of any script are
// accepted along with digits, hyphens and underscores.
const SLUG_PATTERN = /^[\p{L}\p{N}_-]{1,100}$/u;

/**
 * Derives the canonical LinkedIn profile identity from any form of a profile link.
 *
 * Accepts `in/<slug>`, `/in/<slug>`, `linkedin.com/in/<slug>`, any scheme, host case, `www.` and
 * country or mobile subdomains, a query, a fragment, a trailing slash, extra path segments after
 * the slug and percent-encoding. The slug is lower-cased (LinkedIn resolves profile slugs
 * case-insensitively), and `url` is the form sent to Ashby.
 */
export function canonicalLinkedIn(raw: string | null | undefined): LinkedInResult {
  if (raw === null || raw === undefined) return { ok: false, reason: 'LinkedIn URL is missing' };
  const value = raw.trim();
  if (value === '') return { ok: false, reason: 'LinkedIn URL is empty' };

  const path = profilePath(value);
  if (!path.ok) return path;

  const segments = path.path.split('/').filter((segment) => segment !== '');
  if (segments[0]?.toLowerCase() !== 'in') {
    return { ok: false, reason: `"${value}" is not a LinkedIn profile link (expected /in/<name>)` };
  }
  const encodedSlug = segments[1];
  if (encodedSlug === undefined) {
    return { ok: false, reason: `LinkedIn URL "${value}" has no profile name after /in/` };
  }

  let slug: string;
  try {
    slug = decodeURIComponent(encodedSlug).normalize('NFC').toLowerCase();
  } catch {
    return { ok: false, reason: `LinkedIn URL "${value}" has invalid percent-encoding` };
  }
  if (slug === 'in') {
    return { ok: false, reason: `LinkedIn URL "${value}" repeats /in/; expected /in/<name>` };
  }
  if (!SLUG_PATTERN.test(slug)) {
    return { ok: false, reason: `LinkedIn URL "${value}" has an invalid profile name "${slug}"` };
  }

  return { ok: true, slug, url: `https://www.linkedin.com/in/${encodeURIComponent(slug)}` };
}

function profilePath(value: string): { ok: true; path: string } | { ok: false; reason: string } {
  // A bare path such as `in/jane-roe` or `/in/jane-roe` names a profile without a host.
  if (/^\/?in\//i.test(value)) return { ok: true, path: stripQuery(value) };

  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, reason: `"${value}" is not a valid URL` };
  }
  const host = url.hostname.toLowerCase();
  if (host !== 'linkedin.com' && !host.endsWith('.linkedin.com')) {
    return { ok: false, reason: `"${value}" is not a linkedin.com address` };
  }
  return { ok: true, path: url.pathname };
}

function stripQuery(value: string): string {
  const cut = value.search(/[?#]/);
  return cut >= 0 ? value.slice(0, cut) : value;
}
