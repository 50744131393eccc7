// Public surface of the pipeline input: importing exports, pipeline actions and id lookups.
export {
  detectFormat,
  importPipelineFile,
  previewPipelineFile,
  type ImportOptions,
  type PreviewOptions,
} from './import.js';
export * from './format.js';
export {
  applyPipelineAction,
  PipelineAction,
  PipelineActionError,
  type PipelineActionInput,
  type PipelineActionResult,
} from './actions.js';
export { findCandidateByReference, findRoleByReference } from './lookup.js';
export { MAX_RESUME_BYTES, storedResumePath, type StoredResume } from './resume.js';
export { generatePipelineExport, type GenerateOptions, type GenerateResult } from './generate.js';
