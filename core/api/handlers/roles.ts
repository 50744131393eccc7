// Handlers for the `roles:*` channels: list, link (starts link resolution), unlink, stage mapping.
import { linkRole, listRoles, resolveRole, unlinkRole } from '../../services/index.js';
import type { HandlerMap } from '../registry.js';

export const rolesHandlers = {
  'roles:list': ({ clientId }, { services }) => listRoles(services, clientId),

  'roles:link': async ({ clientId, roleId, jobId }, { services }) => {
    const linked = await linkRole(services, clientId, roleId, jobId, { wait: false });
    return { role: linked.role, taskId: linked.runId };
  },

  'roles:unlink': ({ clientId, roleId }, { services }) => unlinkRole(services, clientId, roleId),

  'roles:mapping': ({ clientId, roleId }, { services }) => {
    const role = resolveRole(services, clientId, roleId);
    return services.engine.stageMapping(role.id);
  },

  'roles:setOverride': ({ clientId, roleId, event, stageId }, { services }) => {
    const role = resolveRole(services, clientId, roleId);
    return services.engine.setStageOverride(role.id, event, stageId);
  },
} satisfies Pick<HandlerMap, 'roles:list' | 'roles:link' | 'roles:unlink' | 'roles:mapping' | 'roles:setOverride'>;
