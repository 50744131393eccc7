// Every channel's handler, one module per contract domain. `HandlerMap` makes a contract channel
// without a handler a type error; to add a domain, write `./<domain>.ts` and spread it in here.
import type { HandlerMap } from '../registry.js';
import { appHandlers } from './app.js';
import { clientsHandlers } from './clients.js';

export const handlers: HandlerMap = {
  ...appHandlers,
  ...clientsHandlers,
};
