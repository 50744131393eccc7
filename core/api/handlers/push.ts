// Handlers for the `push:*` channels: the bulk-push plan and start, and a manual push.
import type { OutboxStatus } from '../../../shared/domain.js';
import { AppError } from '../../../shared/errors.js';
import { planPush, push } from '../../services/index.js';
import type { HandlerMap } from '../registry.js';

export const pushHandlers = {
  'push:plan': ({ clientId, roleId }, { services }) => {
    const plan = planPush(services, clientId, roleId);
    if (plan.kind !== 'bulk') throw new AppError('internal', 'Expected a bulk push plan.');
    return plan.bulk;
  },

  'push:bulkStart': async ({ clientId, roleId }, { services }) => {
    const result = await push(services, clientId, roleId);
    const total = result.plan.kind === 'bulk' ? result.plan.bulk.total : 0;
    return { taskId: result.runId, total };
  },

  'push:candidate': async ({ clientId, roleId, candidateId }, { services }) => {
    const result = await push(services, clientId, roleId, { candidate: candidateId });
    if (result.outboxId === null || result.plan.kind !== 'candidate') {
      throw new AppError('internal', 'The manual push queued nothing.');
    }
    const { status } = services.db.prepare('SELECT status FROM outbox WHERE id = ?').get(result.outboxId) as { status: OutboxStatus };
    return { outboxId: result.outboxId, status, summary: result.plan.candidate.summary };
  },
} satisfies Pick<HandlerMap, 'push:plan' | 'push:bulkStart' | 'push:candidate'>;
