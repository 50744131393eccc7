// Generates large, deterministic pipeline exports for benchmarks and manual tests.
//
//   npm run generate:pipeline -- --candidates 50000 [--out FILE] [--format csv|json] [--roles K]
//                                [--with-resumes] [--resume-pool N] [--seed S]
import { createWriteStream } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { once } from 'node:events';
import { Command, InvalidArgumentError } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { PIPELINE_STATES, type PipelineState } from '../../shared/domain.js';
import { CSV_COLUMNS, JSON_FORMAT_ID, type PipelineFormat } from './format.js';
import { renderResumePdf } from './pdf.js';

export interface GenerateOptions {
  candidates: number;
  /** Output file; its extension does not choose the format, `format` does. */
  out: string;
  format: PipelineFormat;
  roles: number;
  seed: number;
  /** Writes PDF resumes into `<out folder>/resumes/` and refers to them by relative path. */
  withResumes: boolean;
  /** Distinct resume files to write when `withResumes` is set; rows share them round-robin. */
  resumePool: number;
  /** Base for every `stateChangedAt`; defaults to a fixed date so output is reproducible. */
  baseTime?: number;
}

export interface GenerateResult {
  file: string;
  rows: number;
  roles: number;
  resumes: number;
  bytes: number;
}

const FIRST_NAMES = [
  'Ada', 'Bruno', 'Chiara', 'Dmitri', 'Elena', 'Farah', 'Gustav', 'Hana', 'Ibrahim', 'Jonas',
  'Keiko', 'Liam', 'Marta', 'Nikhil', 'Olga', 'Pablo', 'Qiu', 'Rosa', 'Samir', 'Tove',
  'Umar', 'Vera', 'Wen', 'Ximena', 'Yusuf', 'Zofia',
];
const LAST_NAMES = [
  'Abara', 'Berg', 'Castillo', 'Dubois', 'Eriksen', 'Fischer', 'Gallo', 'Horvath', 'Ilunga', 'Jensen',
  'Kowalski', 'Lindqvist', 'Mendes', 'Novak', 'Okafor', 'Petrov', 'Quinn', 'Rossi', 'Sato', 'Takahashi',
  'Urquhart', 'Varga', 'Weber', 'Xu', 'Yilmaz', 'Zeller',
];
const ROLE_TITLES = [
  'Backend Engineer', 'Frontend Engineer', 'Data Engineer', 'Product Manager', 'Designer',
  'Account Executive', 'Support Specialist', 'Recruiter', 'Finance Analyst', 'Security Engineer',
];
const EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net'];
const DEFAULT_BASE_TIME = Date.UTC(2025, 0, 6, 9, 0, 0);

/** Mulberry32: a small, fast, seedable PRNG, so the same seed gives the same export. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface GeneratedCandidate {
  roleIndex: number;
  id: string;
  name: string;
  email: string | null;
  linkedinUrl: string | null;
  phone: string | null;
  resume: string | null;
  state: PipelineState;
  stateChangedAt: string;
}

function* candidates(options: GenerateOptions): Generator<GeneratedCandidate> {
  const next = random(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const baseTime = options.baseTime ?? DEFAULT_BASE_TIME;
  for (let index = 0; index < options.candidates; index += 1) {
    const first = pick(FIRST_NAMES);
    const last = pick(LAST_NAMES);
    const handle = `${first}.${last}.${index}`.toLowerCase();
    // Most candidates have an email; some only a LinkedIn profile, some both.
    const identity = next();
    const email = identity < 0.85 ? `${handle}@${pick(EMAIL_DOMAINS)}` : null;
    const linkedinUrl = identity > 0.6 ? `https://www.linkedin.com/in/${handle.replaceAll('.', '-')}-fake` : null;
    yield {
      roleIndex: index % options.roles,
      id: `cand-${String(index + 1).padStart(6, '0')}`,
      name: `${first} ${last}`,
      email,
      linkedinUrl,
      phone: next() < 0.5 ? `+1 555 01${String(index % 100).padStart(2, '0')}` : null,
      resume: options.withResumes ? `resumes/resume-${String(index % options.resumePool).padStart(5, '0')}.pdf` : null,
      state: pick(PIPELINE_STATES),
      stateChangedAt: new Date(baseTime + Math.floor(next() * 90 * 24 * 3600) * 1000).toISOString(),
    };
  }
}

function roleId(index: number): string {
  return `role-${String(index + 1).padStart(3, '0')}`;
}

function roleTitle(index: number): string {
  const base = ROLE_TITLES[index % ROLE_TITLES.length] ?? 'Engineer';
  return index < ROLE_TITLES.length ? base : `${base} ${Math.floor(index / ROLE_TITLES.length) + 1}`;
}

async function writeResumes(folder: string, count: number): Promise<void> {
  await mkdir(folder, { recursive: true });
  for (let index = 0; index < count; index += 1) {
    const pdf = renderResumePdf({
      name: `Generated Candidate ${index}`,
      headline: 'Software professional',
      contact: [`candidate-${index}@example.com`],
      sections: [{ title: 'Experience', lines: [`Resume number ${index} written by the pipeline export generator.`] }],
    });
    await writeFile(path.join(folder, `resume-${String(index).padStart(5, '0')}.pdf`), pdf);
  }
}

async function writeCsv(options: GenerateOptions): Promise<void> {
  const output = createWriteStream(options.out);
  const write = async (text: string): Promise<void> => {
    if (!output.write(text)) await once(output, 'drain');
  };
  await write(`${CSV_COLUMNS.join(',')}\n`);
  let batch: string[][] = [];
  for (const candidate of candidates(options)) {
    batch.push([
      roleId(candidate.roleIndex),
      roleTitle(candidate.roleIndex),
      candidate.id,
      candidate.name,
      candidate.email ?? '',
      candidate.linkedinUrl ?? '',
      candidate.phone ?? '',
      candidate.resume ?? '',
      candidate.state,
      candidate.stateChangedAt,
    ]);
    if (batch.length === 1000) {
      await write(stringify(batch));
      batch = [];
    }
  }
  if (batch.length > 0) await write(stringify(batch));
  output.end();
  await once(output, 'finish');
}

async function writeJson(options: GenerateOptions): Promise<void> {
  const roles = Array.from({ length: options.roles }, (_, index) => ({
    id: roleId(index),
    title: roleTitle(index),
    candidates: [] as Array<Record<string, string>>,
  }));
  for (const candidate of candidates(options)) {
    const entry: Record<string, string> = { id: candidate.id, name: candidate.name };
    if (candidate.email) entry.email = candidate.email;
    if (candidate.linkedinUrl) entry.linkedinUrl = candidate.linkedinUrl;
    if (candidate.phone) entry.phone = candidate.phone;
    if (candidate.resume) entry.resume = candidate.resume;
    entry.state = candidate.state;
    entry.stateChangedAt = candidate.stateChangedAt;
    roles[candidate.roleIndex]?.candidates.push(entry);
  }
  const exportedAt = new Date(options.baseTime ?? DEFAULT_BASE_TIME).toISOString();
  await writeFile(options.out, `${JSON.stringify({ format: JSON_FORMAT_ID, exportedAt, roles }, null, 2)}\n`);
}

/** Writes a generated export (and its resumes, if asked) and returns what it wrote. */
export async function generatePipelineExport(options: GenerateOptions): Promise<GenerateResult> {
  if (!Number.isInteger(options.candidates) || options.candidates < 0) {
    throw new Error(`candidates must be a whole number of 0 or more, got ${options.candidates}`);
  }
  if (!Number.isInteger(options.roles) || options.roles < 1) {
    throw new Error(`roles must be a whole number of 1 or more, got ${options.roles}`);
  }
  await mkdir(path.dirname(path.resolve(options.out)), { recursive: true });
  const resumeCount = options.withResumes ? Math.min(options.resumePool, options.candidates) : 0;
  const effective = { ...options, resumePool: Math.max(1, resumeCount) };
  if (resumeCount > 0) await writeResumes(path.join(path.dirname(path.resolve(options.out)), 'resumes'), resumeCount);

  if (options.format === 'csv') await writeCsv(effective);
  else await writeJson(effective);

  const { size } = await stat(options.out);
  return { file: options.out, rows: options.candidates, roles: options.roles, resumes: resumeCount, bytes: size };
}

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError('expected a whole number of 0 or more');
  return parsed;
}

async function main(argv: string[]): Promise<void> {
  const program = new Command('generate:pipeline')
    .description('Write a deterministic Jack & Jill pipeline export for benchmarks and manual tests.')
    .requiredOption('--candidates <n>', 'number of candidate rows', positiveInteger)
    .option('--out <file>', 'output file (default pipeline-<n>.<format> in the current folder)')
    .option('--format <format>', 'csv or json', 'csv')
    .option('--roles <k>', 'number of roles the candidates are spread over', positiveInteger, 10)
    .option('--with-resumes', 'write PDF resumes into a resumes/ folder next to the output file', false)
    .option('--resume-pool <n>', 'distinct resume files to write; rows share them', positiveInteger, 1000)
    .option('--seed <s>', 'random seed; the same seed gives the same file', positiveInteger, 1)
    .parse(argv);
  const flags = program.opts<{
    candidates: number;
    out?: string;
    format: string;
    roles: number;
    withResumes: boolean;
    resumePool: number;
    seed: number;
  }>();
  if (flags.format !== 'csv' && flags.format !== 'json') program.error(`--format must be csv or json, got "${flags.format}"`);
  const format = flags.format as PipelineFormat;
  const started = Date.now();
  const result = await generatePipelineExport({
    candidates: flags.candidates,
    out: flags.out ?? `pipeline-${flags.candidates}.${format}`,
    format,
    roles: flags.roles,
    seed: flags.seed,
    withResumes: flags.withResumes,
    resumePool: flags.resumePool,
  });
  process.stdout.write(
    `Wrote ${result.file}: ${result.rows} rows over ${result.roles} roles, ${result.bytes} bytes, ` +
      `${result.resumes} resumes, in ${Date.now() - started} ms\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
