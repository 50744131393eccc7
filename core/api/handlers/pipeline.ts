// Handlers for the `pipeline:*` channels: paged candidates, the five actions, sync history.
import { queryAuditPage } from '../../audit/index.js';
import type { StoppedPush } from '../../../shared/contract/index.js';
import { act } from '../../services/index.js';
import { listCandidates } from '../../store/repo/candidates.js';
import type { HandlerMap } from '../registry.js';

const ACTION_LABELS = {
  shortlist: 'shortlisted',
  request_intro: 'moved to intro requested',
  complete_intro: 'moved to intro completed',
  archive: 'archived',
  hire: 'marked hired',
} as const;

export const pipelineHandlers = {
  'pipeline:candidates': ({ roleId, search, states, ashbyStatuses, offset, limit }, { db }) => {
    const page = listCandidates(
      db,
      {
        roleId,
        ...(search === undefined || search.trim() === '' ? {} : { search: search.trim() }),
        ...(states === undefined ? {} : { states }),
        ...(ashbyStatuses === undefined ? {} : { ashbyStatuses }),
      },
      { offset, limit },
    );
    return { items: page.items, total: page.total, offset: page.offset };
  },

  'pipeline:act': ({ clientId, roleId, candidateId, action }, { services }) => {
    const result = act(services, clientId, roleId, candidateId, action);
    if (!result.changed) {
      return { changed: false, state: result.state, message: `${result.candidateName} is already in that state; nothing was queued.` };
    }
    const queued =
      result.plannedEffect === null
        ? 'No push was queued (the event is off for this client).'
        : `Queued (${result.queueStatus ?? 'pending'}): ${result.plannedEffect}.`;
    const reason = result.queueReason === null ? '' : ` ${result.queueReason}`;
    return {
      changed: true,
      state: result.state,
      message: `${result.candidateName} ${ACTION_LABELS[action]}. ${queued}${reason}`,
    };
  },

  'pipeline:history': ({ candidateId, limit }, { db }) =>
    queryAuditPage(db, { candidateId }, { limit: limit ?? 50 }).entries,

  'pipeline:stoppedPushes': ({ candidateId }, { db }) =>
    db
      .prepare(
        `SELECT id, event, status, reason, updated_at AS updatedAt FROM outbox
          WHERE candidate_id = ? AND status IN ('needs_attention', 'failed') ORDER BY id`,
      )
      .all(candidateId) as StoppedPush[],
} satisfies Pick<HandlerMap, 'pipeline:candidates' | 'pipeline:act' | 'pipeline:history' | 'pipeline:stoppedPushes'>;
