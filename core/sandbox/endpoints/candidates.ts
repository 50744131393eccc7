import { z } from 'zod';

import { AshbyError } from '../errors.js';
import { SOCIAL_LINK_TYPES, type SocialLink, type SocialLinkType, type StoredCandidate } from '../model.js';
import { candidateShape } from '../shapes.js';
import { indexCandidateEmails, touch, track, updateCandidateEmails, type Untracked } from '../tenant.js';
import {
  candidateVisible,
  epochMsParam,
  filterKey,
  pageParams,
  parseJson,
  requireCandidate,
  requireSource,
  requireUser,
  uuidParam,
  visibleApplicationIds,
  type ApiContext,
  type EndpointDefinition,
} from './common.js';

/** `candidate.search` returns at most 100 candidates and is not paginated (Ashby's description). */
export const SEARCH_RESULT_LIMIT = 100;

/** Ashby requires `linkedInUrl`, `githubUrl` and `website` to be valid URLs; the sandbox checks for an absolute http(s) URL. */
const urlParam = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}, 'must be a valid URL');

const locationParam = z.object({
  city: z.string().optional(),
  region: z.string().optional(),
  country: z.string().optional(),
});

const isoDateParam = z.iso.datetime({ offset: true });

function shape(context: ApiContext, candidate: StoredCandidate): Record<string, unknown> {
  return candidateShape(context.tenant, candidate, visibleApplicationIds(context, candidate));
}

function setLink(links: SocialLink[], type: SocialLinkType, url: string): SocialLink[] {
  return [...links.filter((link) => link.type !== type), { type, url }];
}

const candidateSearch: EndpointDefinition = {
  permission: 'candidatesRead',
  acceptsMultipart: false,
  writes: false,
  handle(context, body) {
    const input = parseJson(z.object({ email: z.string().optional(), name: z.string().optional() }), body);
    if (input.email === undefined && input.name === undefined) {
      throw new AshbyError('invalid_input', 'Provide email, name or both to search candidates.');
    }

    // NOTE: Ashby does not document its matching rules. The sandbox matches the email exactly but
    // case-insensitively against every address of a candidate, and the name as a case-insensitive substring.
    let pool: Iterable<StoredCandidate>;
    if (input.email !== undefined) {
      const ids = context.tenant.emailIndex.get(input.email.toLowerCase()) ?? new Set<string>();
      pool = [...ids].map((id) => context.tenant.candidates.get(id)).filter((c) => c !== undefined);
    } else {
      pool = context.tenant.candidates.values();
    }
    const name = input.name?.toLowerCase();
    const results: Record<string, unknown>[] = [];
    for (const candidate of pool) {
      if (results.length >= SEARCH_RESULT_LIMIT) break;
      if (!candidateVisible(context, candidate)) continue;
      if (name !== undefined && !candidate.name.toLowerCase().includes(name)) continue;
      results.push(shape(context, candidate));
    }
    return { results };
  },
};

const candidateList: EndpointDefinition = {
  permission: 'candidatesRead',
  acceptsMultipart: false,
  writes: false,
  handle(context, body) {
    const input = parseJson(z.object({ ...pageParams, createdAfter: epochMsParam.optional() }), body);
    const createdAfter = input.createdAfter;
    const candidates: StoredCandidate[] = [];
    for (const candidate of context.tenant.candidates.values()) {
      if (createdAfter !== undefined && Date.parse(candidate.createdAt) <= createdAfter) continue;
      if (!candidateVisible(context, candidate)) continue;
      candidates.push(candidate);
    }
    const page = context.pagination.page(
      context.tenant,
      'candidate.list',
      filterKey({ createdAfter }),
      candidates,
      input,
      context.nowMs,
    );
    return { ...page, results: page.results.map((candidate) => shape(context, candidate)) };
  },
};

const candidateInfo: EndpointDefinition = {
  permission: 'candidatesRead',
  acceptsMultipart: false,
  writes: false,
  handle(context, body) {
    const input = parseJson(
      z.object({ id: uuidParam.optional(), externalMappingId: z.string().optional() }),
      body,
    );
    if (input.id === undefined) {
      // The sandbox has no HRIS mappings, so a lookup by externalMappingId never finds anyone.
      if (input.externalMappingId !== undefined) {
        throw new AshbyError('candidate_not_found', `No candidate with external mapping id ${input.externalMappingId}.`);
      }
      throw new AshbyError('invalid_input', 'Invalid request: id: required (candidate.info takes id, not candidateId).');
    }
    return { results: shape(context, requireCandidate(context, input.id)) };
  },
};

const candidateCreateInput = z.object({
  name: z.string(),
  email: z.string().optional(),
  phoneNumber: z.string().optional(),
  linkedInUrl: urlParam.optional(),
  githubUrl: urlParam.optional(),
  website: urlParam.optional(),
  alternateEmailAddresses: z.array(z.string()).optional(),
  sourceId: uuidParam.optional(),
  creditedToUserId: uuidParam.optional(),
  location: locationParam.optional(),
  createdAt: isoDateParam.optional(),
});

const candidateCreate: EndpointDefinition = {
  permission: 'candidatesWrite',
  acceptsMultipart: false,
  writes: true,
  handle(context, body) {
    const input = parseJson(candidateCreateInput, body);
    if (input.name.trim() === '') throw new AshbyError('invalid_input', 'Invalid request: name: must not be empty.');
    if (input.sourceId !== undefined) requireSource(context, input.sourceId);
    if (input.creditedToUserId !== undefined) requireUser(context, input.creditedToUserId);

    // Ashby's candidate.create never deduplicates: the same email twice makes two candidates.
    const emails = [input.email, ...(input.alternateEmailAddresses ?? [])]
      .filter((value): value is string => value !== undefined && value !== '')
      .map((value) => ({ value, type: 'Personal' as const }));
    const socialLinks: SocialLink[] = [];
    if (input.linkedInUrl !== undefined) socialLinks.push({ type: 'LinkedIn', url: input.linkedInUrl });
    if (input.githubUrl !== undefined) socialLinks.push({ type: 'GitHub', url: input.githubUrl });
    if (input.website !== undefined) socialLinks.push({ type: 'Website', url: input.website });
    const createdAt = input.createdAt !== undefined ? new Date(input.createdAt).toISOString() : context.nowIso;

    const record: Untracked<StoredCandidate> = {
      id: context.newId(),
      name: input.name,
      createdAt,
      updatedAt: context.nowIso,
      emails,
      phones: input.phoneNumber ? [{ value: input.phoneNumber, type: 'Personal' }] : [],
      socialLinks,
      position: null,
      company: null,
      school: null,
      applicationIds: [],
      resume: null,
      files: [],
      sourceId: input.sourceId ?? null,
      creditedToUserId: input.creditedToUserId ?? null,
      location: input.location
        ? {
            id: context.newId(),
            city: input.location.city ?? null,
            region: input.location.region ?? null,
            country: input.location.country ?? null,
          }
        : null,
      profileToken: context.newId(),
    };
    const candidate = track<StoredCandidate>(context.tenant, record);
    context.tenant.candidates.set(candidate.id, candidate);
    indexCandidateEmails(context.tenant, candidate);
    return { results: shape(context, candidate) };
  },
};

const candidateUpdateInput = z.object({
  candidateId: uuidParam,
  name: z.string().optional(),
  email: z.string().optional(),
  phoneNumber: z.string().optional(),
  linkedInUrl: urlParam.optional(),
  githubUrl: urlParam.optional(),
  websiteUrl: urlParam.optional(),
  alternateEmail: z.string().optional(),
  socialLinks: z.array(z.object({ type: z.enum(SOCIAL_LINK_TYPES), url: z.string() })).optional(),
  sourceId: uuidParam.optional(),
  creditedToUserId: uuidParam.optional(),
  location: locationParam.optional(),
  createdAt: isoDateParam.optional(),
  sendNotifications: z.boolean().optional(),
});

const candidateUpdate: EndpointDefinition = {
  permission: 'candidatesWrite',
  acceptsMultipart: false,
  writes: true,
  handle(context, body) {
    const input = parseJson(candidateUpdateInput, body);
    const candidate = requireCandidate(context, input.candidateId);
    if (input.name !== undefined && input.name.trim() === '') {
      throw new AshbyError('invalid_input', 'Invalid request: name: must not be empty.');
    }
    if (input.sourceId !== undefined) requireSource(context, input.sourceId);
    if (input.creditedToUserId !== undefined) requireUser(context, input.creditedToUserId);

    if (input.name !== undefined) candidate.name = input.name;
    updateCandidateEmails(context.tenant, candidate, () => {
      // A new primary email moves the old primary into the list of other addresses.
      if (input.email !== undefined && input.email !== '') {
        const others = candidate.emails.filter((email) => email.value !== input.email);
        candidate.emails = [{ value: input.email, type: 'Personal' }, ...others];
      }
      if (input.alternateEmail !== undefined && input.alternateEmail !== '') {
        const exists = candidate.emails.some((email) => email.value === input.alternateEmail);
        if (!exists) candidate.emails.push({ value: input.alternateEmail, type: 'Personal' });
      }
    });
    if (input.phoneNumber !== undefined && input.phoneNumber !== '') {
      const others = candidate.phones.filter((phone) => phone.value !== input.phoneNumber);
      candidate.phones = [{ value: input.phoneNumber, type: 'Personal' }, ...others];
    }
    // `socialLinks` replaces every link and wins over linkedInUrl/githubUrl/websiteUrl (Ashby's candidate.update description).
    if (input.socialLinks !== undefined) {
      candidate.socialLinks = input.socialLinks.map((link) => ({ type: link.type, url: link.url }));
    } else {
      if (input.linkedInUrl !== undefined) candidate.socialLinks = setLink(candidate.socialLinks, 'LinkedIn', input.linkedInUrl);
      if (input.githubUrl !== undefined) candidate.socialLinks = setLink(candidate.socialLinks, 'GitHub', input.githubUrl);
      if (input.websiteUrl !== undefined) candidate.socialLinks = setLink(candidate.socialLinks, 'Website', input.websiteUrl);
    }
    if (input.sourceId !== undefined) candidate.sourceId = input.sourceId;
    if (input.creditedToUserId !== undefined) candidate.creditedToUserId = input.creditedToUserId;
    if (input.location !== undefined) {
      candidate.location = {
        id: candidate.location?.id ?? context.newId(),
        city: input.location.city ?? null,
        region: input.location.region ?? null,
        country: input.location.country ?? null,
      };
    }
    if (input.createdAt !== undefined) candidate.createdAt = new Date(input.createdAt).toISOString();
    touch(context.tenant, candidate, context.nowIso);
    return { results: shape(context, candidate) };
  },
};

export const candidateEndpoints: Record<string, EndpointDefinition> = {
  'candidate.search': candidateSearch,
  'candidate.list': candidateList,
  'candidate.info': candidateInfo,
  'candidate.create': candidateCreate,
  'candidate.update': candidateUpdate,
};

