import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';

import busboy from 'busboy';

import type { UploadedFile } from './endpoints/index.js';

/** Largest request body the sandbox reads (resumes included). */
export const MAX_BODY_BYTES = 25 * 1024 * 1024;

export class BodyTooLargeError extends Error {
  constructor() {
    super(`Request body is larger than ${MAX_BODY_BYTES} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

export interface MultipartForm {
  fields: Record<string, string>;
  files: UploadedFile[];
  /** Field and file part names in the order they arrived (presigned uploads need the file last). */
  order: string[];
}

/** Parses a buffered `multipart/form-data` body. */
export function parseMultipart(contentType: string, body: Buffer): Promise<MultipartForm> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: { 'content-type': contentType }, limits: { fileSize: MAX_BODY_BYTES } });
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    const form: MultipartForm = { fields: {}, files: [], order: [] };
    parser.on('field', (name, value) => {
      form.fields[name] = value;
      form.order.push(name);
    });
    parser.on('file', (name, stream, info) => {
      form.order.push(name);
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        form.files.push({ field: name, filename: info.filename ?? name, contentType: info.mimeType, data: Buffer.concat(chunks) });
      });
    });
    parser.on('error', (error) => reject(error instanceof Error ? error : new Error(String(error))));
    parser.on('close', () => resolve(form));
    Readable.from([body]).pipe(parser);
  });
}
