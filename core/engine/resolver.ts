// Identity resolution against one client's Ashby: email first, then LinkedIn, never by name alone.
// Reads the local index, and queries Ashby directly under the search strategy or when verifying.
import type Database from 'better-sqlite3';
import type { Clock } from '../clock.js';
import type { AshbyApplicationRecord, AshbyPort } from './ashby-port.js';
import {
  estimatedBuildCalls,
  findByIdentity,
  findByName,
  findIndexedApplication,
  getSyncState,
  CANDIDATE_STREAM,
  nameKey,
  upsertIndexedApplication,
  upsertIndexedCandidate,
} from './ashby-index.js';

export type LookupStrategy = 'index' | 'search';

export interface Identity {
  email: { email: string; key: string } | undefined;
  linkedIn: { url: string; slug: string } | undefined;
}

export interface ResolverContext {
  db: Database.Database;
  clock: Clock;
  clientId: number;
  port: AshbyPort;
  strategy: LookupStrategy;
  signal?: AbortSignal | undefined;
}

/**
 * Picks how to resolve `identities` by counting calls. An index that exists costs about one call
 * per stream to refresh. Building one costs a call per 100 tenant candidates; searching costs
 * about three calls per candidate (search by email, by name, and the application lookup).
 */
export function chooseStrategy(
  db: Database.Database,
  clientId: number,
  identities: readonly Identity[],
  unknownTenantPages: number,
): { strategy: LookupStrategy; reason: string } {
  if (getSyncState(db, clientId, CANDIDATE_STREAM) !== undefined) {
    return { strategy: 'index', reason: 'the index exists and is refreshed incrementally' };
  }
  if (identities.some((identity) => identity.email === undefined)) {
    return {
      strategy: 'index',
      reason: 'a candidate has no email, and only the index matches LinkedIn profiles',
    };
  }
  if (
    identities.some(
      (identity) =>
        identity.email !== undefined && identity.email.key !== identity.email.email.toLowerCase(),
    )
  ) {
    // candidate.search matches the address as written, so another spelling of the same Google
    // mailbox would be missed; the index compares normalized keys.
    return {
      strategy: 'index',
      reason: 'an email has provider-equivalent spellings that only the index matches',
    };
  }
  const buildCalls = estimatedBuildCalls(db, clientId, unknownTenantPages);
  const searchCalls = identities.length * 3;
  if (searchCalls < buildCalls) {
    return {
      strategy: 'search',
      reason: `about ${searchCalls} search calls against about ${buildCalls} to build the index`,
    };
  }
  return {
    strategy: 'index',
    reason: `about ${buildCalls} calls to build the index against about ${searchCalls} search calls`,
  };
}

/** Finds the Ashby candidate for `identity`. With `fresh`, queries Ashby even under the index strategy. */
export async function findCandidate(
  ctx: ResolverContext,
  identity: Identity,
  fresh: boolean,
): Promise<{ id: string; via: string } | undefined> {
  const { db, clientId } = ctx;
  if (identity.email !== undefined && (ctx.strategy === 'search' || fresh)) {
    const found = await ctx.port.searchCandidates({ email: identity.email.email }, ctx.signal);
    db.transaction(() => {
      for (const record of found) upsertIndexedCandidate(db, ctx.clock, clientId, record);
    })();
  }
  if (identity.email !== undefined) {
    const ids = findByIdentity(db, clientId, 'email', identity.email.key);
    if (ids[0] !== undefined) return { id: ids[0], via: `email ${identity.email.email}` };
  }
  if (identity.linkedIn !== undefined) {
    const ids = findByIdentity(db, clientId, 'linkedin', identity.linkedIn.slug);
    if (ids[0] !== undefined) return { id: ids[0], via: `LinkedIn ${identity.linkedIn.url}` };
  }
  return undefined;
}

/** Returns the ids of Ashby candidates with exactly this name (ignoring case and spacing). */
export async function findSameName(ctx: ResolverContext, name: string): Promise<string[]> {
  if (ctx.strategy === 'search') {
    const found = await ctx.port.searchCandidates({ name }, ctx.signal);
    return found
      .filter((record) => nameKey(record.name) === nameKey(name))
      .map((record) => record.id);
  }
  return findByName(ctx.db, ctx.clientId, name);
}

/**
 * Finds the candidate's application on `jobId`. Under the index strategy the refreshed index is
 * enough. With `fromAshby` (verifying a write) or under the search strategy, it reads
 * `candidate.info` → `applicationIds` and then each application.
 */
export async function findApplication(
  ctx: ResolverContext,
  ashbyCandidateId: string,
  jobId: string,
  fromAshby: boolean,
): Promise<AshbyApplicationRecord | undefined> {
  if (!fromAshby && ctx.strategy === 'index')
    return findIndexedApplication(ctx.db, ctx.clientId, ashbyCandidateId, jobId);

  const candidate = await ctx.port.candidateInfo(ashbyCandidateId, ctx.signal);
  upsertIndexedCandidate(ctx.db, ctx.clock, ctx.clientId, candidate);
  for (const applicationId of candidate.applicationIds) {
    const application = await ctx.port.applicationInfo(applicationId, ctx.signal);
    if (application.jobId === jobId) {
      upsertIndexedApplication(ctx.db, ctx.clock, ctx.clientId, application);
      return application;
    }
  }
  return undefined;
}
