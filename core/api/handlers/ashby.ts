// Handlers for the `ashby:*` channels: the dropdowns filled from the client's tenant.
import { listArchiveReasons, listJobs, listSources } from '../../services/index.js';
import type { HandlerMap } from '../registry.js';

export const ashbyHandlers = {
  'ashby:sources': ({ clientId }, { services }) => listSources(services, clientId),
  'ashby:archiveReasons': ({ clientId }, { services }) => listArchiveReasons(services, clientId),
  'ashby:jobs': ({ clientId }, { services }) => listJobs(services, clientId),
} satisfies Pick<HandlerMap, 'ashby:sources' | 'ashby:archiveReasons' | 'ashby:jobs'>;
