// Resume files named by a pipeline export: type and size checks, and the content-addressed copy
// into `<dataDir>/resumes/<sha256>` that later pushes upload from.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { PipelineImportError, type RejectionCode } from './format.js';

/** 20 MB, the largest resume the import accepts. */
export const MAX_RESUME_BYTES = 20 * 1024 * 1024;

interface ResumeType {
  contentType: string;
  /** Returns whether the first bytes of the file match the type; TXT has no magic number. */
  matches(head: Buffer): boolean;
  description: string;
}

const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');
// Compound File Binary (OLE2) header used by Word 97-2003 .doc files.
const OLE2_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
// A .docx is a ZIP archive; a local file header starts it.
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const RTF_MAGIC = Buffer.from('{\\rtf', 'latin1');

function startsWith(head: Buffer, magic: Buffer): boolean {
  return head.length >= magic.length && head.subarray(0, magic.length).equals(magic);
}

// Plain text has no magic number, so a TXT file is accepted unless it carries a NUL byte, which
// no UTF-8 text contains. UTF-16 text, which does, is recognised by its byte order mark.
function looksLikeText(head: Buffer): boolean {
  if (head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) {
    return true;
  }
  return !head.includes(0);
}

const RESUME_TYPES: Record<string, ResumeType> = {
  '.pdf': { contentType: 'application/pdf', matches: (h) => startsWith(h, PDF_MAGIC), description: 'PDF' },
  '.doc': { contentType: 'application/msword', matches: (h) => startsWith(h, OLE2_MAGIC), description: 'Word 97-2003' },
  '.docx': {
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    matches: (h) => startsWith(h, ZIP_MAGIC),
    description: 'Word (DOCX)',
  },
  '.rtf': { contentType: 'application/rtf', matches: (h) => startsWith(h, RTF_MAGIC), description: 'RTF' },
  '.txt': { contentType: 'text/plain', matches: looksLikeText, description: 'plain text' },
};

const ACCEPTED_EXTENSIONS = Object.keys(RESUME_TYPES).join(', ');
const HEAD_BYTES = 8192;

export interface StoredResume {
  sha256: string;
  /** The original file name, kept for the upload to Ashby. */
  fileName: string;
  size: number;
  contentType: string;
}

export type ResumeCheck =
  | { ok: true; resume: StoredResume | null }
  | { ok: false; code: RejectionCode; reason: string };

/** Resolves a resume path from an export: relative paths start at the export file's folder. */
export function resolveResumePath(exportFile: string, resumePath: string): string {
  return path.resolve(path.dirname(exportFile), resumePath);
}

function failure(code: RejectionCode, reason: string): ResumeCheck {
  return { ok: false, code, reason };
}

function describeOpenError(error: unknown, displayPath: string): ResumeCheck {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return failure('resume_not_found', `resume file not found: ${displayPath}`);
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return failure('resume_unreadable', `resume file cannot be read (permission denied): ${displayPath}`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return failure('resume_unreadable', `resume file cannot be read: ${displayPath} (${message})`);
}

/**
 * Checks and hashes a resume, and hands its bytes to `copier` when given (see ResumeCopier). The
 * type comes from the extension and must agree with the file's first bytes. Without `copier` the
 * file is only checked (previews, rejected rows).
 */
export async function checkResume(absolutePath: string, displayPath: string, copier?: ResumeCopier): Promise<ResumeCheck> {
  const extension = path.extname(absolutePath).toLowerCase();
  const type = RESUME_TYPES[extension];

  let info;
  try {
    info = await stat(absolutePath);
  } catch (error) {
    return describeOpenError(error, displayPath);
  }
  if (!info.isFile()) return failure('resume_unreadable', `resume path is not a file: ${displayPath}`);
  if (info.size === 0) return failure('resume_empty', `resume file is empty (0 bytes): ${displayPath}`);
  if (info.size > MAX_RESUME_BYTES) {
    return failure(
      'resume_too_large',
      `resume file is ${info.size} bytes, over the 20 MB (${MAX_RESUME_BYTES} bytes) limit: ${displayPath}`,
    );
  }
  if (type === undefined) {
    return failure(
      'resume_type',
      `resume type "${extension || '(no extension)'}" is not accepted; use one of ${ACCEPTED_EXTENSIONS}: ${displayPath}`,
    );
  }

  // The whole file is read once (at most 20 MB), so a resume that is already stored costs no write.
  let content: Buffer;
  try {
    content = await readFile(absolutePath);
  } catch (error) {
    return describeOpenError(error, displayPath);
  }
  if (content.length === 0) return failure('resume_empty', `resume file is empty (0 bytes): ${displayPath}`);
  if (content.length > MAX_RESUME_BYTES) {
    return failure('resume_too_large', `resume file grew over the 20 MB limit while it was read: ${displayPath}`);
  }
  if (!type.matches(content.subarray(0, HEAD_BYTES))) {
    return failure(
      'resume_type',
      `resume file is named ${extension} but its content is not ${type.description}: ${displayPath}`,
    );
  }

  const sha256 = createHash('sha256').update(content).digest('hex');
  if (copier) await copier.add(sha256, content);
  return {
    ok: true,
    resume: { sha256, fileName: path.basename(absolutePath), size: content.length, contentType: type.contentType },
  };
}

/**
 * Copies resumes into `<dataDir>/resumes/<sha256>` in the background, a few at a time. Each copy
 * waits for its fsync, and running copies side by side lets those waits overlap.
 * `add` waits only when too many copies or bytes are in flight; `drain` waits for all of them
 * and throws the first failure.
 */
export class ResumeCopier {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly scheduled = new Set<string>();
  private inFlightBytes = 0;
  private failure: unknown = null;
  copied = 0;

  constructor(
    private readonly dataDir: string,
    private readonly maxConcurrent = 8,
    private readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  async add(sha256: string, content: Buffer): Promise<void> {
    this.throwIfFailed();
    if (this.scheduled.has(sha256)) return;
    this.scheduled.add(sha256);
    while (
      this.inFlight.size >= this.maxConcurrent ||
      (this.inFlight.size > 0 && this.inFlightBytes + content.length > this.maxBytes)
    ) {
      await Promise.race(this.inFlight);
      this.throwIfFailed();
    }
    this.inFlightBytes += content.length;
    const copy = storeBlob(this.dataDir, sha256, content)
      .then(() => {
        this.copied += 1;
      })
      .catch((error: unknown) => {
        const detail = error instanceof Error ? error.message : String(error);
        this.failure ??= new PipelineImportError(
          'data_folder_unwritable',
          `could not copy a resume into ${path.join(this.dataDir, 'resumes')} (${detail}); check that the data folder exists and is writable`,
        );
      })
      .finally(() => {
        this.inFlightBytes -= content.length;
        this.inFlight.delete(copy);
      });
    this.inFlight.add(copy);
  }

  async drain(): Promise<void> {
    await Promise.all(this.inFlight);
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure !== null) throw this.failure;
  }
}

// Writes a temporary file in the same folder, flushes it to disk and renames it, so a crash never
// leaves a partial file under a content hash. An existing blob already contains these exact bytes.
async function storeBlob(dataDir: string, sha256: string, content: Buffer): Promise<void> {
  const folder = path.join(dataDir, 'resumes');
  const finalPath = path.join(folder, sha256);
  if (await exists(finalPath)) return;
  await mkdir(folder, { recursive: true });
  const tempPath = path.join(folder, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  const handle = await open(tempPath, 'w');
  let renamed = false;
  try {
    await handle.writeFile(content);
    await handle.sync();
    await handle.close();
    await rename(tempPath, finalPath);
    renamed = true;
  } finally {
    if (!renamed) {
      await handle.close().catch(() => undefined);
      await unlink(tempPath).catch(() => undefined);
    }
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** Path of a stored resume in the data folder. */
export function storedResumePath(dataDir: string, sha256: string): string {
  return path.join(dataDir, 'resumes', sha256);
}
