// Builds a multipart/form-data body in one buffer. Node 20's fetch sends a FormData body through an
// async iterator over web streams, which took more CPU than the rest of the upload in the bulk-push
// profile. A buffer is written to the socket as it is.
import { randomBytes } from 'node:crypto';

export interface MultipartFile {
  bytes: Uint8Array;
  filename: string;
  contentType: string;
}

export interface MultipartBody {
  body: Uint8Array<ArrayBuffer>;
  /** The Content-Type header, with the boundary. */
  contentType: string;
}

// Names and file names are escaped as the HTML standard escapes them in FormData: a quote, a
// carriage return and a line feed become %22, %0D and %0A.
function escapeName(name: string): string {
  return name.replaceAll('"', '%22').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

// Text values have their line breaks normalized to CRLF, as FormData does.
function normalizeLineBreaks(value: string): string {
  return value.replace(/\r\n|\r|\n/g, '\r\n');
}

/** Encodes the text fields, in order, then the file under `fileField`. */
export function encodeMultipart(
  fields: Readonly<Record<string, string>>,
  fileField: string,
  file: MultipartFile,
): MultipartBody {
  const boundary = `----AshbySyncConsole${randomBytes(12).toString('hex')}`;
  let head = '';
  for (const [name, value] of Object.entries(fields)) {
    head += `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(name)}"\r\n\r\n`;
    head += `${normalizeLineBreaks(value)}\r\n`;
  }
  head += `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(fileField)}"; filename="${escapeName(file.filename)}"\r\n`;
  head += `Content-Type: ${file.contentType}\r\n\r\n`;
  const start = Buffer.from(head, 'utf8');
  const end = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
  const body = new Uint8Array(start.length + file.bytes.length + end.length);
  body.set(start, 0);
  body.set(file.bytes, start.length);
  body.set(end, start.length + file.bytes.length);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}
