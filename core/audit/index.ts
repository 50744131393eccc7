// The audit log's read, export and retention API for the screens, the browser host and the CLI.
export { AuditCursor, AuditFilter, AuditOrder } from './filter.js';
export {
  AuditPageRequest,
  COUNT_LIMIT,
  SCAN_COUNT_LIMIT,
  queryAuditPage,
  type AuditCount,
  type AuditEntryView,
  type AuditPage,
} from './query.js';
export {
  AUDIT_EXPORT_ACTION,
  DEFAULT_EXPORT_CHUNK_ROWS,
  exportAudit,
  type AuditExportOptions,
  type AuditExportProgress,
  type AuditExportResult,
} from './export.js';
export {
  AUDIT_EXPORT_FORMATS,
  CSV_HEADER,
  type AuditExportFormat,
  type AuditExportRecord,
} from './export-format.js';
export {
  AUDIT_PURGE_ACTION,
  AuditPurgeClientNotFoundError,
  DEFAULT_PURGE_BATCH_ROWS,
  describeAuditRetention,
  purgeAudit,
  purgeAuditForAllClients,
  purgeAuditInBatches,
  type AuditPurgeOptions,
  type AuditPurgeResult,
  type AuditRetentionSummary,
} from './purge.js';
export { PSEUDONYM_SALT_SETTING } from './pseudonyms.js';
