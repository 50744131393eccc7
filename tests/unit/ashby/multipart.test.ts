import { describe, expect, it } from 'vitest';
import { encodeMultipart } from '../../../core/ashby/multipart.js';
import { parseMultipart } from '../../../core/sandbox/body.js';

const pdf = new Uint8Array(Buffer.from('%PDF-1.4\r\n--not-a-boundary\r\n%%EOF\n', 'latin1'));

// Parses a body the way a storage server would, with busboy.
async function parse(contentType: string, body: Uint8Array) {
  return parseMultipart(contentType, Buffer.from(body));
}

describe('encodeMultipart', () => {
  it('sends fields in order, then the file', async () => {
    const encoded = encodeMultipart(
      { key: 'uploads/abc/resume.pdf', policy: 'eyJleHAiOjF9', 'x-amz-signature': 'f00d' },
      'file',
      { bytes: pdf, filename: 'resume.pdf', contentType: 'application/pdf' },
    );
    const form = await parse(encoded.contentType, encoded.body);

    expect(form.order).toEqual(['key', 'policy', 'x-amz-signature', 'file']);
    expect(form.fields).toEqual({ key: 'uploads/abc/resume.pdf', policy: 'eyJleHAiOjF9', 'x-amz-signature': 'f00d' });
    expect(form.files).toHaveLength(1);
    expect(form.files[0]?.filename).toBe('resume.pdf');
    expect(form.files[0]?.contentType).toBe('application/pdf');
    expect(Buffer.compare(form.files[0]?.data ?? Buffer.alloc(0), Buffer.from(pdf))).toBe(0);
  });

  it('matches what FormData sends', async () => {
    const fields = { 'na"me': 'line one\nline two', plain: 'ünïcode ✓' };
    const file = { bytes: pdf, filename: 'Zoë "CV"\r\n.pdf', contentType: 'application/pdf' };

    const ours = encodeMultipart(fields, 'file', file);
    const formData = new FormData();
    for (const [name, value] of Object.entries(fields)) formData.append(name, value);
    formData.append('file', new Blob([pdf.slice()], { type: file.contentType }), file.filename);
    const reference = new Request('http://127.0.0.1/', { method: 'POST', body: formData });
    const referenceBody = new Uint8Array(await reference.arrayBuffer());

    const parsedOurs = await parse(ours.contentType, ours.body);
    const parsedReference = await parse(reference.headers.get('content-type') ?? '', referenceBody);
    expect(parsedOurs.fields).toEqual(parsedReference.fields);
    expect(parsedOurs.order).toEqual(parsedReference.order);
    expect(parsedOurs.files.map((part) => part.filename)).toEqual(parsedReference.files.map((part) => part.filename));
    expect(parsedOurs.files[0]?.data.equals(parsedReference.files[0]?.data ?? Buffer.alloc(0))).toBe(true);
  });

  it('uses a new boundary for each body', () => {
    const file = { bytes: pdf, filename: 'a.pdf', contentType: 'application/pdf' };
    expect(encodeMultipart({}, 'file', file).contentType).not.toBe(encodeMultipart({}, 'file', file).contentType);
  });
});
