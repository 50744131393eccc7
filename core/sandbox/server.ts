// The sandbox's HTTP front: Ashby's RPC routes (`POST /<resource>.<verb>`), the stand-in storage
// service for presigned uploads, and the test-only admin routes.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Logger } from '../log/logger.js';
import { handleAdmin } from './admin-routes.js';
import { BodyTooLargeError, parseMultipart, readBody } from './body.js';
import { ENDPOINTS, type EndpointDefinition, type RequestBody } from './endpoints/index.js';
import { UPLOAD_ENDPOINT, UPLOAD_PATH_PREFIX, uploadFields } from './endpoints/files.js';
import { AshbyError } from './errors.js';
import type { FaultRule } from './faults.js';
import { errorEnvelope, sendJson } from './http-util.js';
import { IdSource, newRequestId } from './ids.js';
import type { StoredApiKey, Tenant } from './model.js';
import type { SandboxState } from './state.js';

export interface ServerOptions {
  state: SandboxState;
  /** Delay added to every Ashby API call, in milliseconds. */
  latencyMs: number;
  logger: Logger;
}

export { UPLOAD_ENDPOINT };

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function parseBasicAuth(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Basic\s+(\S+)$/i.exec(header.trim());
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const key = colon === -1 ? decoded : decoded.slice(0, colon);
  return key === '' ? null : key;
}

function storageError(response: ServerResponse, status: number, code: string, message: string): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  response.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

export class SandboxServer {
  private readonly server: Server;
  private readonly held = new Set<ServerResponse>();
  private readonly runtimeIds = new IdSource(null);
  private baseUrl = '';

  constructor(private readonly options: ServerOptions) {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        this.options.logger.error({ err: error, path: request.url }, 'sandbox request failed');
        if (!response.headersSent) {
          sendJson(response, 500, errorEnvelope('internal_error', 'The sandbox failed to handle the request.', ''));
        } else {
          response.destroy();
        }
      });
    });
  }

  async listen(port: number, host: string): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address() as AddressInfo;
    const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    this.baseUrl = `http://${hostPart}:${address.port}`;
    return this.baseUrl;
  }

  async close(): Promise<void> {
    for (const response of this.held) response.destroy();
    this.held.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private get state(): SandboxState {
    return this.options.state;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestId = newRequestId(this.state.now());
    response.setHeader('x-ashby-request-id', requestId);
    const url = new URL(request.url ?? '/', 'http://sandbox.invalid');

    let body: Buffer;
    try {
      body = await readBody(request);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        sendJson(response, 413, errorEnvelope('invalid_input', error.message, requestId));
        return;
      }
      throw error;
    }

    if (url.pathname.startsWith('/_sandbox/')) {
      handleAdmin(this.state, request, response, url, body);
      return;
    }
    if (url.pathname.startsWith(UPLOAD_PATH_PREFIX)) {
      await this.handleUpload(request, response, url.pathname.slice(UPLOAD_PATH_PREFIX.length), body);
      return;
    }
    await this.handleApi(request, response, url.pathname.slice(1), body, requestId);
  }

  private async handleApi(
    request: IncomingMessage,
    response: ServerResponse,
    endpointName: string,
    rawBody: Buffer,
    requestId: string,
  ): Promise<void> {
    const definition = Object.hasOwn(ENDPOINTS, endpointName) ? ENDPOINTS[endpointName] : undefined;
    if (!definition) {
      sendJson(response, 404, errorEnvelope('not_found', `Unknown endpoint /${endpointName}.`, requestId));
      return;
    }
    if (request.method !== 'POST') {
      sendJson(
        response,
        405,
        errorEnvelope('method_not_allowed', `Ashby endpoints accept POST only; got ${request.method ?? ''}.`, requestId),
        { allow: 'POST' },
      );
      return;
    }

    // NOTE: Ashby documents the 401/403 statuses but not their bodies; the sandbox sends its error envelope.
    const apiKey = parseBasicAuth(request.headers.authorization);
    if (apiKey === null) {
      sendJson(
        response,
        401,
        errorEnvelope('unauthenticated', 'Missing API key. Send it as the Basic auth username with an empty password.', requestId),
      );
      return;
    }
    const key = this.state.keys.get(apiKey);
    const tenant = key ? this.state.tenants.get(key.tenantId) : undefined;
    if (!key || !tenant || key.revoked) {
      const message = key?.revoked ? 'The API key has been deactivated.' : 'The API key is not valid.';
      sendJson(response, 403, errorEnvelope('forbidden', message, requestId));
      return;
    }

    this.state.countCall(tenant.name, endpointName);

    if (!key.permissions.has(definition.permission)) {
      sendJson(
        response,
        403,
        errorEnvelope(
          'missing_endpoint_permission',
          `The API key is missing the ${definition.permission} permission, which ${endpointName} requires.`,
          requestId,
        ),
      );
      return;
    }

    const headers = this.applyRateLimit(key, response);
    if (headers === null) return;

    const decision = this.state.faults.draw(tenant.name, endpointName);
    const delayMs = this.options.latencyMs + decision.delayMs;
    if (delayMs > 0) await sleep(delayMs);
    if (decision.action && this.answerFault(decision.action, request, response, requestId)) return;

    let result: Record<string, unknown>;
    try {
      const body = await this.parseApiBody(request, definition, rawBody);
      result = { success: true, ...this.runHandler(definition, key, tenant, body) };
    } catch (error) {
      if (!(error instanceof AshbyError)) throw error;
      this.options.logger.debug({ endpoint: endpointName, tenant: tenant.name, code: error.code, requestId }, 'returned an Ashby error');
      result = errorEnvelope(error.code, error.message, requestId);
    }
    if (definition.writes) this.state.noteWrite();

    if (decision.action?.kind === 'commit_then_drop') {
      // The write has been applied, but the client sees the connection drop instead of the response.
      request.socket.destroy();
      return;
    }
    sendJson(response, 200, result, headers);
  }

  /** Counts the call against the key's budget. Returns the headers to send, or null after sending a 429. */
  private applyRateLimit(key: StoredApiKey, response: ServerResponse): Record<string, string> | null {
    const limiter = this.state.limiter;
    if (!limiter) return {};
    const now = this.state.now();
    const decision = limiter.take(key.key, now);
    const headers = {
      'x-ratelimit-limit': String(decision.limit),
      'x-ratelimit-remaining': String(decision.remaining),
      'x-ratelimit-reset': String(Math.ceil(decision.resetAtMs / 1000)),
    };
    if (decision.allowed) return headers;
    const retryAfter = Math.max(1, Math.ceil((decision.resetAtMs - now) / 1000));
    const requestId = String(response.getHeader('x-ashby-request-id') ?? '');
    sendJson(
      response,
      429,
      errorEnvelope('rate_limit_exceeded', `Rate limit of ${decision.limit} requests per minute exceeded for this API key.`, requestId),
      { ...headers, 'retry-after': String(retryAfter) },
    );
    return null;
  }

  /** Sends the response a drawn fault calls for. Returns false when the call goes on to the handler (commit_then_drop). */
  private answerFault(rule: FaultRule, request: IncomingMessage, response: ServerResponse, requestId: string): boolean {
    const retryAfter = String(Math.max(1, Math.ceil((rule.ms ?? 1000) / 1000)));
    switch (rule.kind) {
      case 'http_500': {
        const text = 'Internal Server Error';
        response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
        response.end(text);
        return true;
      }
      case 'timeout':
        // Hold the request open without a response until the client gives up or the sandbox closes.
        this.held.add(response);
        response.on('close', () => this.held.delete(response));
        request.socket.setTimeout(0);
        return true;
      case 'rate_limit':
        sendJson(response, 429, errorEnvelope('rate_limit_exceeded', 'Rate limit exceeded for this API key.', requestId), {
          'retry-after': retryAfter,
        });
        return true;
      case 'partner_rate_limit':
        sendJson(
          response,
          429,
          errorEnvelope('rate_limit_exceeded', 'Rate limit exceeded for the integration partner across all organisations.', requestId),
          { 'retry-after': retryAfter, 'x-ratelimit-scope': 'integration-partner' },
        );
        return true;
      case 'commit_then_drop':
      case 'latency':
        return false;
    }
  }

  private async parseApiBody(request: IncomingMessage, definition: EndpointDefinition, rawBody: Buffer): Promise<RequestBody> {
    const contentType = request.headers['content-type'] ?? '';
    if (definition.acceptsMultipart && /^multipart\/form-data/i.test(contentType)) {
      let form;
      try {
        form = await parseMultipart(contentType, rawBody);
      } catch (error) {
        throw new AshbyError('invalid_input', `The multipart body could not be parsed: ${(error as Error).message}`);
      }
      return { kind: 'multipart', fields: form.fields, files: form.files };
    }
    if (!/^application\/json/i.test(contentType)) {
      throw new AshbyError(
        'invalid_input',
        `Content-Type must be application/json${definition.acceptsMultipart ? ' or multipart/form-data' : ''}; got "${contentType}".`,
      );
    }
    if (rawBody.length === 0) return { kind: 'json', value: {} };
    try {
      return { kind: 'json', value: JSON.parse(rawBody.toString('utf8')) as unknown };
    } catch {
      throw new AshbyError('invalid_input', 'Request payload is malformed: the body is not valid JSON.');
    }
  }

  private runHandler(definition: EndpointDefinition, key: StoredApiKey, tenant: Tenant, body: RequestBody): Record<string, unknown> {
    const nowMs = this.state.now();
    return definition.handle(
      {
        tenant,
        key,
        nowMs,
        nowIso: new Date(nowMs).toISOString(),
        baseUrl: this.baseUrl,
        pagination: this.state.pagination,
        uploads: this.state.uploads,
        newId: () => this.runtimeIds.next(),
      },
      body,
    );
  }

  /** Stores a file posted to a presigned URL, checking the policy fields and the `file` part like a storage service. */
  private async handleUpload(request: IncomingMessage, response: ServerResponse, token: string, body: Buffer): Promise<void> {
    const upload = this.state.uploads.byToken(token);
    if (!upload) {
      storageError(response, 404, 'NoSuchUpload', 'The upload URL is not known.');
      return;
    }
    const tenant = this.state.tenants.get(upload.tenantId);
    if (tenant) this.state.countCall(tenant.name, UPLOAD_ENDPOINT);
    if (request.method !== 'POST') {
      storageError(response, 405, 'MethodNotAllowed', 'Upload with POST.');
      return;
    }
    if (this.state.now() > upload.expiresAt) {
      storageError(response, 403, 'AccessDenied', 'Request has expired');
      return;
    }
    const decision = this.state.faults.draw(tenant?.name ?? '', UPLOAD_ENDPOINT);
    if (decision.delayMs > 0) await sleep(decision.delayMs);
    if (decision.action && this.answerFault(decision.action, request, response, '')) return;

    const contentType = request.headers['content-type'] ?? '';
    if (!/^multipart\/form-data/i.test(contentType)) {
      storageError(response, 400, 'InvalidArgument', 'POST requires multipart/form-data.');
      return;
    }
    let form;
    try {
      form = await parseMultipart(contentType, body);
    } catch (error) {
      storageError(response, 400, 'MalformedPOSTRequest', (error as Error).message);
      return;
    }
    for (const [name, value] of Object.entries(uploadFields(upload))) {
      if (form.fields[name] !== value) {
        storageError(response, 403, 'AccessDenied', `Form field ${name} is missing or does not match the policy.`);
        return;
      }
    }
    const file = form.files.find((part) => part.field === 'file');
    if (!file || form.order[form.order.length - 1] !== 'file') {
      storageError(response, 400, 'InvalidArgument', 'The file must be sent last, in a part named file.');
      return;
    }
    if (file.data.length !== upload.contentLength) {
      const code = file.data.length > upload.contentLength ? 'EntityTooLarge' : 'EntityTooSmall';
      storageError(response, 400, code, `Uploaded ${file.data.length} bytes; the handle was created for ${upload.contentLength}.`);
      return;
    }
    upload.receivedBytes = file.data.length;
    if (decision.action?.kind === 'commit_then_drop') {
      request.socket.destroy();
      return;
    }
    response.writeHead(204);
    response.end();
  }
}
