// Public surface of the Ashby client.
export * from './schemas.js';
export * from './errors.js';
export * from './permissions.js';
export * from './requests.js';
export * from './pagination.js';
export * from './rate-limiter.js';
export * from './backoff.js';
export { createAshbyClient } from './client.js';
export type { AshbyClient, AshbyClientOptions, AshbyListResponse, AshbyResponse } from './client.js';
export { DEFAULT_TIMEOUT_MS, keyIdFor } from './transport.js';
export type { AshbyCallEvent, AshbyLogger, CallMeta, CallOptions, CallStats } from './transport.js';
export { UPLOAD_ENDPOINT, UPLOAD_REJECTED, UPLOAD_URL_EXPIRED } from './upload.js';
export type { ResumeUploadResult, UploadResumeOptions } from './upload.js';
export { parseRetryAfter } from './error-mapping.js';
