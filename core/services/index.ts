// Application services shared by every face of the console: the desktop and browser UI (through
// thin IPC handlers) and the CLI. Each function takes the opened Services first.
export { openServices, KEYCHAIN_SERVICE_ENV, DATABASE_FILE_NAME, RESUMES_FOLDER_NAME, QUICK_TIMEOUT_MS, type OpenServicesOptions, type Services } from './context.js';
export { requireClientRef, resolveRole, resolveCandidate, type ClientRef } from './lookup.js';
export { verifyApiKey, normalizeBaseUrl, describeMissing, type KeyVerification, type KeyProblem, type PermissionLine, type VerifyKeyInput } from './verify-key.js';
export {
  ASHBY_BASE_URL,
  addClient,
  disconnectClient,
  getClientOverview,
  listArchiveReasons,
  listClients,
  listJobs,
  listSources,
  parseEvents,
  reconnectClient,
  replaceKey,
  testClient,
  updateClientSettings,
  type AddClientInput,
  type AshbyJobOption,
  type AshbyOption,
  type ClientCounts,
  type ClientOverview,
  type SettingsChange,
  type SettingsInput,
} from './clients.js';
export {
  act,
  getRoleOverview,
  linkRole,
  listRoles,
  setRoleStage,
  unlinkRole,
  waitForRun,
  LINK_WAIT_MS,
  PLAN_STAGE,
  type ActResult,
  type LinkResult,
  type RoleOverview,
} from './roles.js';
export { planPush, push, sync, type CandidatePushPlan, type PushOptions, type PushPlan, type PushResult, type SyncFailure, type SyncOptions, type SyncReport } from './push.js';
export { approve, discard, listQueue, retry, OPEN_STATUSES, type QueueItem, type QueueListOptions, type ReviewResult } from './queue.js';
export { exportAuditFile, importPipeline, type AuditExportInput } from './data.js';
export { startDemo, resumeDemo, DEFAULT_SAMPLES_DIR, DEMO_SETTING, DEMO_STATE_FILE, type DemoClient, type DemoHandle, type DemoOptions } from './demo.js';
export { toServiceError } from './ashby-errors.js';
