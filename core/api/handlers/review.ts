// Handlers for the `review:*` channels: the open queue with each item's planned effect in Ashby
// and why it waits, and the admin's decisions. All of it reads and writes the local store only,
// so the Review screen works with no network.
import type { ItemOutcome, ReviewItem, SendDecision, WaitReason } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { findByName } from '../../engine/ashby-index.js';
import { editCandidateIdentity } from '../../engine/candidate-identity.js';
import { approve, discard, listQueue, retry, type QueueItem, type ReviewResult, type Services } from '../../services/index.js';
import type { HandlerMap } from '../registry.js';

/** Maximum items in one list. The screen shows a note when more items match. */
export const REVIEW_LIST_LIMIT = 1000;

const REVIEW_CODES: ReadonlySet<string> = new Set(['review_before_push', 'possible_duplicate', 'archived_in_ashby']);

/** Groups the engine's status and reason code into the reasons the Review screen shows. */
export function waitReasonOf(item: Pick<QueueItem, 'status' | 'reasonCode'>, clientOffline: boolean): WaitReason {
  switch (item.status) {
    case 'review':
      return item.reasonCode !== null && REVIEW_CODES.has(item.reasonCode) ? (item.reasonCode as WaitReason) : 'review_before_push';
    case 'needs_attention':
    case 'failed':
      return 'needs_attention';
    case 'paused':
      return item.reasonCode === 'client_disconnected' ? 'disconnected' : 'queued';
    default:
      return clientOffline ? 'offline' : 'queued';
  }
}

/** How long approve and retry wait for the engine to send the items before they reply. */
export const SEND_WAIT_MS = 3000;

const IN_FLIGHT = new Set(['pending', 'running']);

/**
 * Waits up to SEND_WAIT_MS for the engine to finish with the changed items, then reads the status of each
 * one, so the screen can say that an approved push needs attention instead of claiming success.
 */
async function withOutcomes(services: Services, result: ReviewResult): Promise<SendDecision> {
  const read = services.db.prepare(
    `SELECT o.id, p.name AS candidateName, o.status, o.reason FROM outbox o JOIN candidates p ON p.id = o.candidate_id WHERE o.id = ?`,
  );
  const readAll = (): ItemOutcome[] => result.changed.map((id) => read.get(id) as ItemOutcome | undefined).filter((row) => row !== undefined);
  let outcomes = readAll();
  // Without a running engine in this process nothing moves the items, so waiting would only delay the reply.
  const deadline = Date.now() + (services.engine.processing ? SEND_WAIT_MS : 0);
  while (outcomes.some((outcome) => IN_FLIGHT.has(outcome.status)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    outcomes = readAll();
  }
  return { ...result, outcomes };
}

export const reviewHandlers = {
  'review:list': ({ clientId }, { services }) => {
    const offline = services.db.prepare("SELECT id FROM clients WHERE status = 'offline' ORDER BY id").pluck().all() as number[];
    const offlineIds = new Set(offline);
    const queue = listQueue(services, {
      ...(clientId === null || clientId === undefined ? {} : { client: clientId }),
      limit: REVIEW_LIST_LIMIT + 1,
    });
    const items: ReviewItem[] = queue.slice(0, REVIEW_LIST_LIMIT).map((item) => {
      const effect = services.engine.plannedEffect(item.id);
      const notes = [...effect.notes];
      // The engine finds possible duplicates when it sends the item; the local index can warn first.
      if (effect.kind === 'create_candidate' && findByName(services.db, item.clientId, item.candidateName).length > 0) {
        notes.unshift(
          `Ashby already has a candidate named ${item.candidateName} with no matching email or LinkedIn, so this push will wait for review as a possible duplicate.`,
        );
      }
      return {
        id: item.id,
        clientId: item.clientId,
        clientName: item.clientName,
        roleId: item.roleId,
        roleTitle: item.roleTitle,
        candidateId: item.candidateId,
        candidateName: item.candidateName,
        email: item.email,
        linkedinUrl: item.linkedinUrl,
        event: item.event,
        status: item.status,
        waitReason: waitReasonOf(item, offlineIds.has(item.clientId)),
        reason: item.reason,
        reasonCode: item.reasonCode,
        effect: {
          kind: effect.kind,
          summary: effect.summary,
          stageTitle: effect.stage?.title ?? null,
          jobTitle: effect.job?.title ?? null,
          source: effect.source,
          archiveReason: effect.archiveReason,
          ashbyCandidateId: effect.ashbyCandidateId,
          notes,
        },
        approvable: item.status === 'review',
        attempts: item.attempts,
        nextAttemptAt: item.nextAttemptAt,
        queuedAt: item.createdAt,
      };
    });
    return { items, truncated: queue.length > REVIEW_LIST_LIMIT, offlineClientIds: offline };
  },

  'review:approve': async ({ ids, allOfClient }, { services }) => {
    if ((ids === undefined) === (allOfClient === undefined)) {
      throw new AppError('invalid_input', 'Approve either a list of items or all items of one client, not both or neither.');
    }
    const result = ids === undefined ? approve(services, { all: allOfClient as number }) : approve(services, { ids });
    return withOutcomes(services, result);
  },

  'review:retry': async ({ ids }, { services }) => withOutcomes(services, retry(services, ids)),

  'review:discard': ({ ids, reason }, { services }) => discard(services, ids, reason),

  'review:editCandidate': ({ candidateId, email, linkedinUrl }, { services }) => {
    const result = editCandidateIdentity(services.db, services.clock, candidateId, { email, linkedinUrl }, services.actor);
    if (!result.ok) throw new AppError('invalid_input', `Cannot save: ${result.reason}.`);
    return { candidateId, email: result.email, linkedinUrl: result.linkedinUrl };
  },
} satisfies Pick<HandlerMap, 'review:list' | 'review:approve' | 'review:retry' | 'review:discard' | 'review:editCandidate'>;
