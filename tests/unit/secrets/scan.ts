// Byte search of a folder for a secret in the forms it could be written in.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export function basicAuthForm(key: string): string {
  return Buffer.from(`${key}:`, 'utf8').toString('base64');
}

/** Returns every file under `dir`, recursively. */
export function listFiles(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) files.push(...listFiles(full));
    else files.push(full);
  }
  return files;
}

/** Returns `file: form` for each file that contains the key or its Basic-auth base64 form. */
export function findKeyBytes(files: readonly string[], key: string): string[] {
  const forms = [key, basicAuthForm(key)];
  const hits: string[] = [];
  for (const file of files) {
    const bytes = readFileSync(file);
    for (const form of forms) {
      if (bytes.includes(Buffer.from(form, 'utf8'))) hits.push(`${file}: ${form}`);
    }
  }
  return hits;
}
