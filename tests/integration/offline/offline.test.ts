// Offline end to end: the sandbox closes mid-run and pushes wait, listed in Review with their
// planned effect. The console restarts while Ashby is away, then a new sandbox starts on the same
// port with the same state, and the queue drains to an exact final state.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reviewHandlers } from '../../../core/api/handlers/review.js';
import type { AppContext } from '../../../core/app/context.js';
import { queryAuditPage } from '../../../core/audit/index.js';
import { startSandbox, type Sandbox } from '../../../core/sandbox/index.js';
import { clientAccount } from '../../../core/secrets/secret-store.js';
import {
  act,
  addClient,
  linkRole,
  listJobs,
  listSources,
  openServices,
  updateClientSettings,
  type Services,
} from '../../../core/services/index.js';
import { insertCandidate } from '../../../core/store/repo/candidates.js';
import { upsertRole } from '../../../core/store/repo/roles.js';
import type { ReviewList } from '../../../shared/contract/index.js';

const TENANT = 'Acme Health';
const JOB_TITLE = 'Full-Stack Engineer';
const FAST_LIMITS = {
  pollIntervalMs: 10,
  backoffBaseMs: 50,
  backoffMaxMs: 400,
  lockTtlMs: 3_000,
  stopTimeoutMs: 3_000,
};

interface SandboxState {
  candidates: { id: string; name: string; emailAddresses: { value: string }[] }[];
  applications: {
    candidate: { id: string };
    job: { id: string };
    currentInterviewStage: { title: string };
  }[];
  jobs: { id: string; title: string }[];
}

let workDir: string;
let dataDir: string;
let stateFile: string;
let sandbox: Sandbox;
let services: Services;
let apiKey: string;

async function openConsole(runEngine: boolean): Promise<Services> {
  return openServices({
    dataDir,
    env: { ASHBY_SYNC_SECRET_STORE: 'memory' },
    runEngine,
    fileLogging: false,
    engineLimits: FAST_LIMITS,
  });
}

// The review handlers read only `services` from the context.
function reviewList(clientId: number): ReviewList {
  return reviewHandlers['review:list']({ clientId }, { services } as unknown as AppContext);
}

async function sandboxState(): Promise<SandboxState> {
  const address = `${sandbox.url}/_sandbox/state?tenant=${encodeURIComponent(TENANT)}`;
  // A kept-alive socket to the sandbox that was closed on the same port fails once; a new one works.
  const response = await fetch(address).catch(() => fetch(address));
  return (await response.json()) as SandboxState;
}

function clientStatus(clientId: number): string {
  return services.db
    .prepare('SELECT status FROM clients WHERE id = ?')
    .pluck()
    .get(clientId) as string;
}

function itemStatus(id: number): string {
  return services.db.prepare('SELECT status FROM outbox WHERE id = ?').pluck().get(id) as string;
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeEach(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), 'offline-test-'));
  dataDir = path.join(workDir, 'data');
  stateFile = path.join(workDir, 'sandbox-state.json');
  sandbox = await startSandbox({ port: 0, seed: 'demo', stateFile, stateSaveDelayMs: 10 });
  apiKey = sandbox.tenants.find((tenant) => tenant.name === TENANT)?.apiKey ?? '';
  services = await openConsole(true);
});

afterEach(async () => {
  await services.close();
  await sandbox.close();
  rmSync(workDir, { recursive: true, force: true });
});

describe('offline queue', () => {
  it('waits, restarts and drains exactly', async () => {
    const { client: created } = await addClient(services, {
      name: TENANT,
      baseUrl: sandbox.url,
      apiKey,
    });
    const source = (await listSources(services, created.id)).find(
      (entry) => entry.title === 'Jack & Jill',
    );
    const { client } = await updateClientSettings(services, created.id, {
      sourceId: source?.id ?? '',
    });
    const job = (await listJobs(services, client.id)).find((entry) => entry.title === JOB_TITLE);
    expect(job).toBeDefined();
    const role = upsertRole(services.db, services.clock, {
      clientId: client.id,
      externalId: 'fse',
      title: JOB_TITLE,
    });
    const people = [
      { name: 'Élodie Durand', email: 'elodie.durand@example.com' },
      { name: '山田 健二', email: 'kenji.yamada@example.com' },
      { name: 'Lucas Moreau', email: 'LUCAS.MOREAU@example.net' },
      { name: 'Mei Tanaka', email: 'mei.t@example.com' },
      { name: 'Approve Offline', email: 'approve.offline@example.com' },
      { name: 'Discard Offline', email: 'discard.offline@example.com' },
    ];
    const ids = people.map(
      (person, index) =>
        insertCandidate(services.db, services.clock, {
          clientId: client.id,
          roleId: role.id,
          externalId: `c-${index}`,
          name: person.name,
          email: person.email,
          emailKey: person.email.toLowerCase(),
          state: 'shortlisted',
        }).id,
    );
    // Linking reads the job's interview plan and indexes Ashby's candidates while Ashby is reachable.
    await linkRole(services, client.id, role.id, job?.id ?? '', { wait: true, timeoutMs: 20_000 });
    const before = await sandboxState();

    await sandbox.close();
    const port = Number(new URL(sandbox.url).port);
    const direct = ids
      .slice(0, 4)
      .map((id) => act(services, client.id, role.id, id, 'request_intro').outboxId as number);
    await waitFor(() => clientStatus(client.id) === 'offline', 'the client to turn offline');

    // Review before push, turned on while offline, keeps the next two waiting for a decision.
    services.db.prepare('UPDATE clients SET review_before_push = 1 WHERE id = ?').run(client.id);
    const held = ids
      .slice(4)
      .map((id) => act(services, client.id, role.id, id, 'request_intro').outboxId as number);
    for (const id of direct.slice(0, 3)) expect(['pending', 'running']).toContain(itemStatus(id));
    // Linking has just read Ashby's candidates, so the engine may park Mei Tanaka as a possible
    // duplicate from that copy without a call. Otherwise she waits with the rest.
    expect(['pending', 'running', 'review']).toContain(itemStatus(direct[3] as number));
    for (const id of held) expect(itemStatus(id)).toBe('review');

    const listed = reviewList(client.id);
    expect(listed.offlineClientIds).toEqual([client.id]);
    const byName = new Map(listed.items.map((item) => [item.candidateName, item]));
    expect(byName.get('Élodie Durand')?.waitReason).toBe('offline');
    expect(byName.get('Élodie Durand')?.effect.summary).toBe(
      `create candidate Élodie Durand at stage "Reached Out" on job "${JOB_TITLE}" with source Jack & Jill`,
    );
    expect(byName.get('Élodie Durand')?.effect.kind).toBe('create_candidate');
    expect(byName.get('山田 健二')?.effect.kind).toBe('create_candidate');
    expect(byName.get('Lucas Moreau')?.effect.kind).toBe('link_existing');
    const lucas = before.candidates.find((candidate) => candidate.name === 'Lucas Moreau');
    expect(byName.get('Lucas Moreau')?.effect.summary).toContain(
      `link to existing candidate ${lucas?.id}`,
    );
    // Ashby has another Mei Tanaka, matched by name only: the preview warns before the engine parks it for review.
    expect(byName.get('Mei Tanaka')?.effect.kind).toBe('create_candidate');
    expect(byName.get('Mei Tanaka')?.effect.notes[0]).toContain('possible duplicate');
    expect(byName.get('Élodie Durand')?.effect.notes.join(' ')).not.toContain('possible duplicate');
    expect(byName.get('Approve Offline')?.waitReason).toBe('review_before_push');
    expect(byName.get('Approve Offline')?.approvable).toBe(true);

    // Decisions need no network: approve one, discard the other with a reason.
    expect(
      await reviewHandlers['review:approve']({ ids: [held[0] as number] }, {
        services,
      } as unknown as AppContext),
    ).toMatchObject({
      changed: [held[0]],
      skipped: [],
      notFound: [],
    });
    reviewHandlers['review:discard'](
      { ids: [held[1] as number], reason: 'client hired someone else' },
      { services } as unknown as AppContext,
    );
    expect(itemStatus(held[1] as number)).toBe('discarded');

    // Restart while Ashby is still away: the queue and the offline status come back from SQLite.
    await services.close();
    services = await openConsole(false);
    expect(clientStatus(client.id)).toBe('offline');
    for (const id of [...direct.slice(0, 3), held[0] as number])
      expect(['pending', 'running']).toContain(itemStatus(id));
    expect(reviewList(client.id).items).toHaveLength(5);
    // The memory secret store lives as long as its process object, so the key is stored again, as
    // the OS keychain would have kept it.
    await services.secrets.set(clientAccount(client.id), apiKey);
    await services.engine.start();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(clientStatus(client.id)).toBe('offline');

    sandbox = await startSandbox({ port, stateFile, stateSaveDelayMs: 10 });
    expect(sandbox.url).toBe(`http://127.0.0.1:${port}`);
    const mei = direct[3] as number;
    const sent = [...direct.slice(0, 3), held[0] as number];
    await waitFor(() => sent.every((id) => itemStatus(id) === 'done'), 'the queue to drain');
    // A possible duplicate waits for review even though this push was not held for review.
    await waitFor(() => itemStatus(mei) === 'review', 'the possible duplicate to wait');
    expect(
      services.db.prepare('SELECT reason_code FROM outbox WHERE id = ?').pluck().get(mei),
    ).toBe('possible_duplicate');
    await waitFor(() => clientStatus(client.id) === 'connected', 'the client to connect again');
    expect(
      reviewList(client.id).items.map((item) => [item.candidateName, item.waitReason]),
    ).toEqual([['Mei Tanaka', 'possible_duplicate']]);

    const after = await sandboxState();
    const added = after.candidates.filter(
      (candidate) => !before.candidates.some((old) => old.id === candidate.id),
    );
    expect(added.map((candidate) => candidate.name).sort()).toEqual(
      ['Approve Offline', 'Élodie Durand', '山田 健二'].sort(),
    );
    expect(after.candidates.filter((candidate) => candidate.name === 'Lucas Moreau')).toHaveLength(
      1,
    );
    expect(after.candidates.filter((candidate) => candidate.name === 'Mei Tanaka')).toHaveLength(1);
    expect(after.candidates.some((candidate) => candidate.name === 'Discard Offline')).toBe(false);
    const onJob = after.applications.filter((application) => application.job.id === job?.id);
    const newApplications =
      onJob.length -
      before.applications.filter((application) => application.job.id === job?.id).length;
    expect(newApplications).toBe(4);
    for (const name of ['Élodie Durand', '山田 健二', 'Lucas Moreau', 'Approve Offline']) {
      const candidate = after.candidates.find((entry) => entry.name === name);
      const applications = onJob.filter(
        (application) => application.candidate.id === candidate?.id,
      );
      expect(applications, name).toHaveLength(1);
      expect(applications[0]?.currentInterviewStage.title, name).toBe('Reached Out');
    }

    const actions = queryAuditPage(
      services.db,
      { clientId: client.id },
      { limit: 500 },
    ).entries.map((entry) => entry.action);
    expect(actions).toContain('review_approved');
    expect(actions).toContain('review_discarded');
    expect(actions).toContain('retry_scheduled');
  }, 90_000);
});
