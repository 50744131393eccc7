// Reader for the JSON export (`jackandjill.pipeline/v1`).
import { readFile, stat } from 'node:fs/promises';
import { JSON_FORMAT_ID, PipelineImportError, type RawPipelineRow, type RejectedRow } from './format.js';

export type JsonItem =
  | { kind: 'row'; row: RawPipelineRow }
  | { kind: 'rejected'; rejected: RejectedRow }
  | { kind: 'role'; path: string; roleId: unknown; roleTitle: unknown };

// NOTE: the JSON export is parsed whole, so its memory use grows with the file. Exports large
// enough for that to matter should use the streamed CSV format.
const MAX_JSON_BYTES = 512 * 1024 * 1024;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function loadDocument(file: string): Promise<{ document: unknown; size: number }> {
  let size: number;
  let text: string;
  try {
    size = (await stat(file)).size;
    if (size > MAX_JSON_BYTES) {
      throw new PipelineImportError(
        'file_unreadable',
        `JSON file ${file} is ${size} bytes, over the ${MAX_JSON_BYTES} byte limit; export large pipelines as CSV`,
      );
    }
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof PipelineImportError) throw error;
    const errno = (error as NodeJS.ErrnoException).code;
    if (errno === 'ENOENT') throw new PipelineImportError('file_not_found', `file not found: ${file}`);
    throw new PipelineImportError('file_unreadable', `file cannot be read: ${file} (${errno ?? String(error)})`);
  }
  try {
    return { document: JSON.parse(text.replace(/^\uFEFF/, '')), size };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new PipelineImportError('invalid_json', `JSON file ${file} cannot be parsed: ${detail}`);
  }
}

/**
 * Reads a JSON export and yields each role, each candidate row and each structural problem.
 * A role entry that is not an object, or whose candidates are not a list, is rejected at its path.
 */
export async function* readJsonRows(file: string, onBytes: (bytes: number) => void): AsyncGenerator<JsonItem> {
  const { document, size } = await loadDocument(file);
  onBytes(size);

  if (!isRecord(document)) {
    throw new PipelineImportError('invalid_structure', `JSON file ${file} must contain an object at the top level`);
  }
  if (document.format === undefined || document.format === null) {
    throw new PipelineImportError(
      'wrong_format_id',
      `JSON file ${file} is missing the "format" field; a Jack & Jill pipeline export has "format": "${JSON_FORMAT_ID}"`,
    );
  }
  if (document.format !== JSON_FORMAT_ID) {
    throw new PipelineImportError(
      'wrong_format_id',
      `JSON file ${file} has "format": ${JSON.stringify(document.format)}; expected "${JSON_FORMAT_ID}"`,
    );
  }
  if (!Array.isArray(document.roles)) {
    throw new PipelineImportError('invalid_structure', `JSON file ${file} has no "roles" list`);
  }

  for (const [roleIndex, role] of document.roles.entries()) {
    const rolePath = `roles[${roleIndex}]`;
    if (!isRecord(role)) {
      yield {
        kind: 'rejected',
        rejected: { path: rolePath, field: '(role)', value: role, code: 'invalid_type', reason: 'role entry must be an object' },
      };
      continue;
    }
    yield { kind: 'role', path: rolePath, roleId: role.id, roleTitle: role.title };

    const candidates = role.candidates ?? [];
    if (!Array.isArray(candidates)) {
      yield {
        kind: 'rejected',
        rejected: {
          path: rolePath,
          field: 'candidates',
          value: candidates,
          code: 'invalid_type',
          reason: 'role "candidates" must be a list',
        },
      };
      continue;
    }
    for (const [index, candidate] of candidates.entries()) {
      const path = `${rolePath}.candidates[${index}]`;
      if (!isRecord(candidate)) {
        yield {
          kind: 'rejected',
          rejected: { path, field: '(candidate)', value: candidate, code: 'invalid_type', reason: 'candidate entry must be an object' },
        };
        continue;
      }
      yield {
        kind: 'row',
        row: {
          location: { path },
          roleId: role.id,
          roleTitle: role.title,
          candidateId: candidate.id,
          name: candidate.name,
          email: candidate.email,
          linkedinUrl: candidate.linkedinUrl,
          phone: candidate.phone,
          resume: candidate.resume,
          state: candidate.state,
          stateChangedAt: candidate.stateChangedAt,
        },
      };
    }
  }
}
