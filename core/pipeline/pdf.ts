// A minimal PDF writer for sample and generated resumes: one A4 page of Helvetica text lines.
// The output follows PDF 1.4 (ISO 32000-1 structure: header, objects, xref table with exact byte
// offsets, trailer), so ordinary viewers and Ashby's resume parser can open it.

export interface ResumeText {
  name: string;
  headline: string;
  contact: string[];
  sections: Array<{ title: string; lines: string[] }>;
}

// Standard 14 fonts only cover WinAnsi, so anything else is approximated in the text layer.
function toWinAnsi(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/[^\x20-\x7e]/g, '?');
}

function escapeText(text: string): string {
  return toWinAnsi(text).replace(/[\\()]/g, (character) => `\\${character}`);
}

function contentStream(resume: ResumeText): string {
  const commands: string[] = ['BT', '/F2 20 Tf', '56 780 Td', `(${escapeText(resume.name)}) Tj`];
  commands.push('/F1 12 Tf', '0 -22 Td', `(${escapeText(resume.headline)}) Tj`);
  commands.push('/F1 10 Tf');
  for (const line of resume.contact) commands.push('0 -14 Td', `(${escapeText(line)}) Tj`);
  for (const section of resume.sections) {
    commands.push('/F2 12 Tf', '0 -26 Td', `(${escapeText(section.title)}) Tj`, '/F1 10 Tf');
    for (const line of section.lines) commands.push('0 -14 Td', `(${escapeText(line)}) Tj`);
  }
  commands.push('ET');
  return commands.join('\n');
}

/** Renders a one-page resume as PDF bytes. The same input always gives the same bytes. */
export function renderResumePdf(resume: ResumeText): Buffer {
  const stream = contentStream(resume);
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>',
    `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
    `<< /Title (${escapeText(`${resume.name} - CV`)}) /Producer (Ashby Sync Console sample generator) >>`,
  ];

  // The header's second line contains bytes above 127, so tools treat the file as binary.
  let body = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xrefOffset = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info ${objects.length} 0 R >>\n`;
  body += `startxref\n${xrefOffset}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}
