// Parent-side setup of each scenario: sandbox tenants, pipeline exports and resumes, the fewest
// Ashby calls the job needs, and a check of the sandbox's state once the child is done.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { generatePipelineExport } from '../../core/pipeline/generate.js';
import type { Sandbox } from '../../core/sandbox/index.js';
import { readTenantInfo, writePipelineCsv, writeResumes, type PipelineRow, type TenantInfo } from './fixture.js';
import type { ChildJob, ChildResult, Person } from './jobs.js';

export interface Sizes {
  /** New candidates per client in bulk_new, bulk_new_5_clients and stage moves in advance. */
  items: number;
  clients: number;
  /** Candidates of the role in link_resolution. */
  linkItems: number;
  /** Candidates already in the tenant in link_resolution. */
  tenantCandidates: number;
  importRows: number;
  auditEntries: number;
  /** Candidates pushed the literal way. */
  literalItems: number;
}

export const FULL_SIZES: Sizes = {
  items: 2000,
  clients: 5,
  linkItems: 2000,
  tenantCandidates: 20_000,
  importRows: 50_000,
  auditEntries: 1_000_000,
  literalItems: 2000,
};

export const QUICK_SIZES: Sizes = {
  items: 60,
  clients: 5,
  linkItems: 200,
  tenantCandidates: 2000,
  importRows: 5000,
  auditEntries: 50_000,
  literalItems: 30,
};

/** One child process of a scenario, with what the parent needs to judge its result. */
export interface PreparedPart {
  part: string;
  job: ChildJob;
  /** Fewest Ashby calls that do this job (the basis of the ceiling). */
  minCalls: number;
  /** Keys whose rate limits add up to the scenario's budget. */
  keys: number;
  /** Checks the sandbox and the child's result; returns the items found wrong, with a reason. */
  verify: (sandbox: Sandbox, result: ChildResult) => { wrong: number; note: string };
}

const ROLE_EXTERNAL_ID = 'role-bench';
const ROLE_TITLE = 'Software Engineer';
const RESUME_POOL = 20;
const BASE_TIME = Date.UTC(2026, 0, 5, 9, 0, 0);

interface SnapshotCandidate {
  id: string;
  name: string;
  primaryEmailAddress?: { value: string };
  emailAddresses: { value: string }[];
  resumeFileHandle?: unknown;
}

interface SnapshotApplication {
  id: string;
  status: string;
  candidate: { id: string };
  job: { id: string };
  currentInterviewStage: { title: string };
}

function snapshotOf(sandbox: Sandbox, tenant: string): { candidates: SnapshotCandidate[]; applications: SnapshotApplication[] } {
  const state = sandbox.state(tenant);
  return { candidates: state.candidates as unknown as SnapshotCandidate[], applications: state.applications as unknown as SnapshotApplication[] };
}

function emailOf(candidate: SnapshotCandidate): string | undefined {
  return candidate.primaryEmailAddress?.value ?? candidate.emailAddresses[0]?.value;
}

function at(offsetMinutes: number): string {
  return new Date(BASE_TIME + offsetMinutes * 60_000).toISOString();
}

function newPeople(count: number, prefix: string, resumes: string[] | null): Array<Person & { resumePath: string | null }> {
  return Array.from({ length: count }, (_, index) => {
    const resume = resumes === null ? null : (resumes[index % resumes.length] as string);
    return {
      // Unique names, so the engine's same-name check never holds a candidate for review.
      name: `${prefix} Person ${String(index + 1).padStart(5, '0')}`,
      email: `${prefix.toLowerCase()}.person.${index + 1}@bench.example.com`,
      resumeFile: null,
      resumePath: resume === null ? null : `resumes/${resume}`,
    };
  });
}

function rowsFor(people: Array<{ name: string; email: string; resumePath: string | null }>, state: PipelineRow['state'], minute: number): PipelineRow[] {
  return people.map((person, index) => ({
    roleId: ROLE_EXTERNAL_ID,
    roleTitle: ROLE_TITLE,
    candidateId: `cand-${String(index + 1).padStart(6, '0')}`,
    name: person.name,
    email: person.email,
    resumePath: person.resumePath,
    state,
    stateChangedAt: at(minute),
  }));
}

async function tenantWith(sandbox: Sandbox, name: string, seed: 'empty' | 'large', candidates = 0): Promise<TenantInfo> {
  const credentials = sandbox.addTenant({ name, seed, ...(seed === 'large' ? { candidates } : {}) });
  return readTenantInfo(sandbox.url, credentials.name, credentials.apiKey, ROLE_TITLE);
}

function baseJob(kind: ChildJob['kind'], sandbox: Sandbox | null, workDir: string, tenants: TenantInfo[], exports: ChildJob['exports']): ChildJob {
  return { kind, sandboxUrl: sandbox?.url ?? 'http://127.0.0.1:9', workDir, tenants, exports, roleExternalId: ROLE_EXTERNAL_ID };
}

/** Every new candidate exists once, with a resume and one application at Reached Out. */
function verifyNewCandidates(sandbox: Sandbox, tenants: TenantInfo[], perTenant: number, withResumes: boolean): { wrong: number; note: string } {
  let wrong = 0;
  const notes: string[] = [];
  for (const tenant of tenants) {
    const state = snapshotOf(sandbox, tenant.name);
    const atReachedOut = state.applications.filter((application) => application.job.id === tenant.jobId && application.currentInterviewStage.title === 'Reached Out').length;
    const withResume = state.candidates.filter((candidate) => candidate.resumeFileHandle !== undefined && candidate.resumeFileHandle !== null).length;
    const tenantWrong = Math.max(
      Math.abs(state.candidates.length - perTenant),
      Math.abs(state.applications.length - perTenant),
      perTenant - atReachedOut,
      withResumes ? perTenant - withResume : 0,
    );
    if (tenantWrong > 0) {
      notes.push(`${tenant.name}: ${state.candidates.length} candidates, ${state.applications.length} applications, ${atReachedOut} at Reached Out, ${withResume} with a resume; expected ${perTenant} each`);
    }
    wrong += tenantWrong;
  }
  return { wrong, note: notes.join('; ') };
}

export async function prepareBulkNew(sandbox: Sandbox, workDir: string, sizes: Sizes, clients: number): Promise<PreparedPart> {
  const resumes = writeResumes(path.join(workDir, 'exports', 'resumes'), RESUME_POOL);
  const tenants: TenantInfo[] = [];
  const exports: ChildJob['exports'] = [];
  for (let index = 0; index < clients; index += 1) {
    tenants.push(await tenantWith(sandbox, `Bench Client ${index + 1}`, 'empty'));
    const file = path.join(workDir, 'exports', `client-${index + 1}.csv`);
    writePipelineCsv(file, rowsFor(newPeople(sizes.items, `C${index + 1}`, resumes), 'intro_requested', 0));
    exports.push({ first: file });
  }
  return {
    part: clients === 1 ? 'bulk_new' : `bulk_new_${clients}_clients`,
    job: baseJob('engine_bulk', sandbox, workDir, tenants, exports),
    // candidate.create, file.createFileUploadHandle, candidate.uploadResume and application.create.
    minCalls: 4 * sizes.items * clients,
    keys: clients,
    verify: (done) => verifyNewCandidates(done, tenants, sizes.items, true),
  };
}

/** Half the role's people already exist in the tenant (most with an application on the job), half are new. */
async function linkPeople(sandbox: Sandbox, tenant: TenantInfo, count: number): Promise<{ people: Array<Person & { resumePath: null }>; expectedLinked: number; applicationsOnJob: number }> {
  const state = snapshotOf(sandbox, tenant.name);
  const onJob = new Set(state.applications.filter((application) => application.job.id === tenant.jobId).map((application) => application.candidate.id));
  const existing = state.candidates.filter((candidate) => emailOf(candidate) !== undefined).slice(0, Math.floor(count / 2));
  const people = existing.map((candidate) => ({ name: candidate.name, email: emailOf(candidate) as string, resumeFile: null, resumePath: null }));
  people.push(...newPeople(count - people.length, 'Link', null).map((person) => ({ name: person.name, email: person.email, resumeFile: null, resumePath: null })));
  return { people, expectedLinked: existing.filter((candidate) => onJob.has(candidate.id)).length, applicationsOnJob: onJob.size };
}

export async function prepareLinkResolution(sandbox: Sandbox, workDir: string, sizes: Sizes, literal: boolean): Promise<PreparedPart> {
  const tenant = await tenantWith(sandbox, 'Bench Large Client', 'large', sizes.tenantCandidates);
  const { people, expectedLinked, applicationsOnJob } = await linkPeople(sandbox, tenant, sizes.linkItems);
  const file = path.join(workDir, 'exports', 'link.csv');
  writePipelineCsv(file, rowsFor(people, 'intro_requested', 0));
  const peopleFile = path.join(workDir, 'people.json');
  writeFileSync(peopleFile, JSON.stringify(people.map(({ name, email }) => ({ name, email, resumeFile: null }))));
  // The index build reads every candidate page and the job's application pages, plus job.info and
  // jobInterviewPlan.info; searching costs one call per candidate. The cheaper of the two is the floor.
  const indexBuild = Math.ceil(sizes.tenantCandidates / 100) + Math.max(1, Math.ceil(applicationsOnJob / 100)) + 2;
  const expectedFound = Math.floor(sizes.linkItems / 2);
  const job = literal
    ? { ...baseJob('literal_link', sandbox, workDir, [tenant], [{ first: file }]), peopleFile }
    : baseJob('engine_link', sandbox, workDir, [tenant], [{ first: file }]);
  return {
    part: literal ? 'literal_baseline.link_resolution' : 'link_resolution',
    job,
    minCalls: Math.min(indexBuild, sizes.linkItems),
    keys: 1,
    verify: (_done, result) => {
      const found = Number(result.detail['found_in_ashby'] ?? 0);
      const linked = literal ? expectedLinked : Number(result.detail['linked'] ?? 0);
      const wrong = Math.abs(found - expectedFound) + Math.abs(linked - expectedLinked);
      return { wrong, note: wrong === 0 ? '' : `found ${found} in Ashby and linked ${linked}; expected ${expectedFound} and ${expectedLinked}` };
    },
  };
}

export async function prepareAdvance(sandbox: Sandbox, workDir: string, sizes: Sizes): Promise<PreparedPart> {
  // The large seed gives every twelfth candidate an application on the first job at New Lead.
  const tenant = await tenantWith(sandbox, 'Bench Advance Client', 'large', sizes.items * 12 + 12);
  const state = snapshotOf(sandbox, tenant.name);
  const byId = new Map(state.candidates.map((candidate) => [candidate.id, candidate]));
  const atLead = state.applications
    .filter((application) => application.job.id === tenant.jobId && application.currentInterviewStage.title === 'New Lead')
    .slice(0, sizes.items);
  if (atLead.length < sizes.items) throw new Error(`the advance tenant has ${atLead.length} New Lead applications; ${sizes.items} are needed`);
  const people = atLead.map((application) => {
    const candidate = byId.get(application.candidate.id) as SnapshotCandidate;
    return { name: candidate.name, email: emailOf(candidate) as string, resumePath: null };
  });
  const first = path.join(workDir, 'exports', 'advance-1.csv');
  const second = path.join(workDir, 'exports', 'advance-2.csv');
  writePipelineCsv(first, rowsFor(people, 'intro_requested', 0));
  writePipelineCsv(second, rowsFor(people, 'intro_completed', 60));
  const applicationIds = new Set(atLead.map((application) => application.id));
  return {
    part: 'advance',
    job: baseJob('engine_advance', sandbox, workDir, [tenant], [{ first, second }]),
    minCalls: sizes.items,
    keys: 1,
    verify: (done) => {
      const moved = snapshotOf(done, tenant.name).applications.filter(
        (application) => applicationIds.has(application.id) && application.currentInterviewStage.title === 'Application Review',
      ).length;
      return { wrong: sizes.items - moved, note: moved === sizes.items ? '' : `${moved} of ${sizes.items} applications reached Application Review` };
    },
  };
}

export async function prepareImport(workDir: string, sizes: Sizes): Promise<PreparedPart> {
  const file = path.join(workDir, 'exports', `pipeline-${sizes.importRows}.csv`);
  await generatePipelineExport({ candidates: sizes.importRows, out: file, format: 'csv', roles: 10, seed: 1, withResumes: true, resumePool: 200 });
  const tenant: TenantInfo = {
    name: 'Bench Import Client',
    apiKey: 'unused',
    sourceId: 'unused',
    sourceTitle: 'Jack & Jill',
    archiveReasonId: 'unused',
    archiveReasonText: 'Not a fit',
    jobId: 'unused',
  };
  return {
    part: 'import_50k',
    job: baseJob('import', null, workDir, [tenant], [{ first: file }]),
    minCalls: 0,
    keys: 0,
    verify: () => ({ wrong: 0, note: '' }),
  };
}

export function prepareAuditExport(workDir: string, sizes: Sizes): PreparedPart {
  return {
    part: 'audit_export_1m',
    job: { ...baseJob('audit_export', null, workDir, [], []), auditEntries: sizes.auditEntries },
    minCalls: 0,
    keys: 0,
    verify: () => ({ wrong: 0, note: '' }),
  };
}

export async function prepareLiteralBulk(sandbox: Sandbox, workDir: string, sizes: Sizes): Promise<PreparedPart> {
  const resumeFolder = path.join(workDir, 'exports', 'resumes');
  const resumes = writeResumes(resumeFolder, RESUME_POOL);
  const tenant = await tenantWith(sandbox, 'Bench Literal Client', 'empty');
  const people: Person[] = newPeople(sizes.literalItems, 'Lit', resumes).map((person) => ({
    name: person.name,
    email: person.email,
    resumeFile: person.resumePath === null ? null : path.join(workDir, 'exports', person.resumePath),
  }));
  const peopleFile = path.join(workDir, 'people.json');
  writeFileSync(peopleFile, JSON.stringify(people));
  return {
    part: 'literal_baseline.bulk_new',
    job: { ...baseJob('literal_bulk', sandbox, workDir, [tenant], []), peopleFile },
    // The same floor as bulk_new, so the two ratios compare.
    minCalls: 4 * sizes.literalItems,
    keys: 1,
    verify: (done) => verifyNewCandidates(done, [tenant], sizes.literalItems, true),
  };
}
