// File-level checks of an export before any row is read: its size and its format.
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { PipelineImportError, type PipelineFormat } from './format.js';

/** Picks the format from the extension, or from the first character when the extension is neither. */
export async function detectFormat(file: string): Promise<PipelineFormat> {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.csv') return 'csv';
  if (extension === '.json') return 'json';
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code;
    if (errno === 'ENOENT') throw new PipelineImportError('file_not_found', `file not found: ${file}`);
    throw new PipelineImportError('file_unreadable', `file cannot be read: ${file} (${errno ?? String(error)})`);
  }
  try {
    const head = Buffer.alloc(64);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const text = head.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '').trimStart();
    if (text.startsWith('{')) return 'json';
    if (text.includes(',')) return 'csv';
  } finally {
    await handle.close();
  }
  throw new PipelineImportError(
    'unknown_format',
    `cannot tell whether ${file} is a JSON or CSV pipeline export; name it .json or .csv`,
  );
}

/** Returns the file's size in bytes, or throws PipelineImportError when it is missing or unreadable. */
export async function fileSize(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code;
    if (errno === 'ENOENT') throw new PipelineImportError('file_not_found', `file not found: ${file}`);
    throw new PipelineImportError('file_unreadable', `file cannot be read: ${file} (${errno ?? String(error)})`);
  }
}
