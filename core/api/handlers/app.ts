// Handlers for the `app:*` channels.
import type { AppInfo } from '../../../shared/contract/index.js';
import type { AppContext } from '../../app/context.js';
import { APP_NAME, APP_VERSION } from '../../app/version.js';
import type { Handler } from '../registry.js';

export const MEMORY_SECRET_STORE_WARNING =
  'API keys are kept in memory only (ASHBY_SYNC_SECRET_STORE=memory) and are lost when the console ' +
  'stops. Use this for throwaway demos and tests, never for real client keys.';

export function describeApp(context: AppContext): AppInfo {
  const kind = context.secrets.kind;
  return {
    name: APP_NAME,
    version: APP_VERSION,
    dataDir: context.dataDir,
    secretStore: { kind, warning: kind === 'memory' ? MEMORY_SECRET_STORE_WARNING : null },
    transport: context.transport,
  };
}

export const appHandlers = {
  'app:info': (_input, context) => describeApp(context),
} satisfies { 'app:info': Handler<'app:info'> };
