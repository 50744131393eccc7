// Handlers for the `demo:*` channels: start the in-process sandbox with the demo clients.
import type { DemoStatus } from '../../../shared/contract/index.js';
import type { AppContext } from '../../app/context.js';
import { startDemo } from '../../services/index.js';
import type { HandlerMap } from '../registry.js';

function demoStatus(context: AppContext): DemoStatus {
  const demo = context.demo;
  if (demo === null) return { running: false, url: null, clients: [] };
  return {
    running: true,
    url: demo.url,
    clients: demo.clients.map((client) => ({
      clientId: client.clientId,
      name: client.name,
      importedRows: client.imported === null ? null : client.imported.rows,
    })),
  };
}

let starting: Promise<void> | null = null;

export const demoHandlers = {
  'demo:start': async (_input, context) => {
    if (context.demo === null) {
      // Two clicks (or two windows) must not start two sandboxes.
      starting ??= startDemo(context.services).then(
        (handle) => {
          context.demo = handle;
          starting = null;
        },
        (error: unknown) => {
          starting = null;
          throw error;
        },
      );
      await starting;
    }
    return demoStatus(context);
  },
  'demo:status': (_input, context) => demoStatus(context),
} satisfies Pick<HandlerMap, 'demo:start' | 'demo:status'>;
