// Test-only routes under /_sandbox/. They serve loopback clients only and need no Ashby key.
import type { IncomingMessage, ServerResponse } from 'node:http';

import { ENDPOINTS } from './endpoints/index.js';
import { UPLOAD_ENDPOINT } from './endpoints/files.js';
import { AdminError } from './errors.js';
import { validateFault } from './faults.js';
import { isLoopback, sendJson } from './http-util.js';
import type { SandboxState } from './state.js';

function objectBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new AdminError(400, 'invalid_json', 'The request body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AdminError(400, 'invalid_json', 'The request body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}

function stringField(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '') throw new AdminError(400, 'invalid_request', `${name} must be a non-empty string.`);
  return value;
}

function optionalString(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new AdminError(400, 'invalid_request', `${name} must be a string when given.`);
  return value;
}

function optionalBoolean(body: Record<string, unknown>, name: string): boolean | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new AdminError(400, 'invalid_request', `${name} must be true or false when given.`);
  return value;
}

function stringArray(body: Record<string, unknown>, name: string): string[] {
  const value = body[name];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new AdminError(400, 'invalid_request', `${name} must be an array of strings.`);
  }
  return value as string[];
}

/** Endpoint names a fault may target besides `*`: every Ashby endpoint and uploads. */
const FAULT_ENDPOINTS: readonly string[] = [...Object.keys(ENDPOINTS), UPLOAD_ENDPOINT];

function tenantParameter(query: URLSearchParams): string {
  const tenant = query.get('tenant');
  if (tenant === null || tenant === '') {
    throw new AdminError(400, 'invalid_request', 'The tenant query parameter is missing; add ?tenant=NAME (GET /_sandbox/tenants lists the names).');
  }
  return tenant;
}

type Route = (state: SandboxState, body: Record<string, unknown>, query: URLSearchParams) => unknown;

const GET_ROUTES: Record<string, Route> = {
  '/_sandbox/state': (state, _body, query) => state.snapshot(tenantParameter(query)),
  '/_sandbox/calls': (state, _body, query) => state.callCounts(tenantParameter(query)),
  '/_sandbox/tenants': (state) => ({ tenants: state.tenantNames() }),
  '/_sandbox/faults': (state) => ({ faults: state.faults.list() }),
};

const POST_ROUTES: Record<string, Route> = {
  '/_sandbox/tenants': (state, body) => {
    const candidates = body['candidates'];
    if (candidates !== undefined && typeof candidates !== 'number') {
      throw new AdminError(400, 'invalid_request', 'candidates must be a number when given.');
    }
    return state.createTenant({
      name: stringField(body, 'name'),
      seed: stringField(body, 'seed') as 'empty',
      ...(candidates !== undefined ? { candidates } : {}),
    });
  },
  '/_sandbox/keys': (state, body) => {
    const permissions = body['permissions'] === undefined ? undefined : stringArray(body, 'permissions');
    const confidentialAccess = optionalBoolean(body, 'confidentialAccess');
    const apiKey = state.createKey(stringField(body, 'tenant'), {
      ...(permissions !== undefined ? { permissions } : {}),
      ...(confidentialAccess !== undefined ? { confidentialAccess } : {}),
    });
    return { apiKey };
  },
  '/_sandbox/faults': (state, body) => ({ id: state.faults.add(validateFault(body, FAULT_ENDPOINTS)).id }),
  '/_sandbox/faults/clear': (state, body) => {
    state.faults.clear(optionalString(body, 'tenant'));
    return { ok: true };
  },
  '/_sandbox/keys/revoke': (state, body) => {
    state.revokeKey(stringField(body, 'apiKey'));
    return { ok: true };
  },
  '/_sandbox/keys/permissions': (state, body) => {
    state.setKeyPermissions(stringField(body, 'apiKey'), stringArray(body, 'permissions'), optionalBoolean(body, 'confidentialAccess'));
    return { ok: true };
  },
  '/_sandbox/candidates/merge': (state, body) => {
    state.mergeCandidates(stringField(body, 'tenant'), stringField(body, 'from'), stringField(body, 'into'));
    return { ok: true };
  },
  '/_sandbox/stages/delete': (state, body) => {
    state.deleteStage(stringField(body, 'tenant'), stringField(body, 'interviewStageId'));
    return { ok: true };
  },
  '/_sandbox/jobs/status': (state, body) => {
    state.setJobStatus(stringField(body, 'tenant'), stringField(body, 'jobId'), stringField(body, 'status'));
    return { ok: true };
  },
  '/_sandbox/clock': (state, body) => {
    const advanceMs = body['advanceMs'];
    if (typeof advanceMs !== 'number') throw new AdminError(400, 'invalid_request', 'advanceMs must be a number of milliseconds.');
    return { now: new Date(state.advanceClock(advanceMs)).toISOString() };
  },
  '/_sandbox/calls/reset': (state, body) => {
    state.resetCallCounts(optionalString(body, 'tenant'));
    return { ok: true };
  },
};

export function handleAdmin(
  state: SandboxState,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  body: Buffer,
): void {
  try {
    if (!isLoopback(request.socket.remoteAddress)) {
      throw new AdminError(403, 'not_loopback', 'Admin routes accept requests from loopback addresses only; call the sandbox through 127.0.0.1.');
    }
    let routes: Record<string, Route> = {};
    if (request.method === 'GET') routes = GET_ROUTES;
    if (request.method === 'POST') routes = POST_ROUTES;
    const route = Object.hasOwn(routes, url.pathname) ? routes[url.pathname] : undefined;
    if (!route) {
      throw new AdminError(404, 'unknown_admin_route', `No admin route ${request.method ?? ''} ${url.pathname}.`);
    }
    sendJson(response, 200, route(state, request.method === 'POST' ? objectBody(body) : {}, url.searchParams));
  } catch (error) {
    if (error instanceof AdminError) {
      sendJson(response, error.status, { error: { code: error.code, message: error.message } });
      return;
    }
    throw error;
  }
}
