// Every channel's handler, one module per contract domain. `HandlerMap` makes a contract channel
// without a handler a type error; to add a domain, write `./<domain>.ts` and spread it in here.
import type { HandlerMap } from '../registry.js';
import { appHandlers } from './app.js';
import { appUpdatesHandlers } from './app-updates.js';
import { ashbyHandlers } from './ashby.js';
import { auditHandlers } from './audit.js';
import { clientsHandlers } from './clients.js';
import { demoHandlers } from './demo.js';
import { importHandlers } from './import.js';
import { pipelineHandlers } from './pipeline.js';
import { pushHandlers } from './push.js';
import { reviewHandlers } from './review.js';
import { rolesHandlers } from './roles.js';
import { tasksHandlers } from './tasks.js';

export const handlers: HandlerMap = {
  ...appHandlers,
  ...clientsHandlers,
  ...ashbyHandlers,
  ...rolesHandlers,
  ...pipelineHandlers,
  ...pushHandlers,
  ...tasksHandlers,
  ...importHandlers,
  ...demoHandlers,
  ...appUpdatesHandlers,
  ...reviewHandlers,
  ...auditHandlers,
};
