// Random event sequences under random faults and engine restarts, for several clients. Afterwards
// each tenant must hold exactly the expected candidates and applications: no duplicate, nothing
// missing, every application at the furthest stage its events reached.
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncEngine } from '../../../core/engine/engine.js';
import { normalizeEmail } from '../../../core/engine/identity.js';
import type { LifecycleEvent } from '../../../shared/domain.js';
import {
  addFault,
  createHarness,
  enqueue,
  insertCandidate,
  insertRole,
  jobByTitle,
  snapshot,
  stageId,
  type Harness,
  type TenantHandle,
} from './harness.js';

/** Small deterministic PRNG (mulberry32), so a failing seed can be replayed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

const STAGE_FOR_EVENT: Partial<Record<LifecycleEvent, string>> = {
  request_intro: 'Reached Out',
  complete_intro: 'Application Review',
  hire: 'Hired',
};
const STAGE_ORDER = [
  'New Lead',
  'Reached Out',
  'Replied',
  'Application Review',
  'Phone Screen',
  'Onsite',
  'Offer',
  'Hired',
];
const EVENTS: LifecycleEvent[] = ['request_intro', 'complete_intro', 'hire'];

interface Person {
  name: string;
  /** Console rows for this person; two rows model a duplicate in the pipeline export. */
  rows: number[];
  emailKey: string | null;
  linkedin: string | null;
  /** Stage of an application the client already had in Ashby, if any. */
  existingStage: string | null;
  existsInAshby: boolean;
  furthest: string | null;
}

interface ClientModel {
  tenant: TenantHandle;
  roleId: number;
  people: Person[];
}

let harness: Harness;

afterEach(async () => {
  await harness.close();
});

function furthest(a: string | null, b: string): string {
  if (a === null) return b;
  return STAGE_ORDER.indexOf(b) > STAGE_ORDER.indexOf(a) ? b : a;
}

async function buildClient(index: number, random: () => number): Promise<ClientModel> {
  const tenant = await harness.tenant(`Random Client ${index}`);
  const job = await jobByTitle(tenant.ashby);
  const roleId = insertRole(harness.db, tenant.clientId, job.id);
  const people: Person[] = [];
  for (let number = 0; number < 10; number += 1) {
    const name = `Person ${index}-${number}`;
    const kind = number % 4;
    // Kinds: 0 email only, 1 LinkedIn only, 2 both, 3 a Google Mail address written differently.
    const email =
      kind === 1
        ? null
        : kind === 3
          ? `person.${index}.${number}@gmail.com`
          : `person.${index}.${number}@example.com`;
    const rowEmail =
      kind === 3
        ? `Person${index}${number}+jobs@googlemail.com`
        : email === null
          ? null
          : number % 2 === 0
            ? email.toUpperCase()
            : email;
    const linkedin = kind === 0 || kind === 3 ? null : `person-${index}-${number}`;
    const existsInAshby = random() < 0.4;
    let existingStage: string | null = null;
    if (existsInAshby) {
      const params: { name: string; email?: string; linkedInUrl?: string } = { name };
      if (email !== null) params.email = email;
      if (linkedin !== null) params.linkedInUrl = `https://linkedin.com/in/${linkedin}/`;
      const created = await tenant.ashby.candidate.create(params);
      if (random() < 0.5) {
        existingStage = random() < 0.5 ? 'New Lead' : 'Phone Screen';
        await tenant.ashby.application.create({
          candidateId: created.results.id,
          jobId: job.id,
          interviewStageId: stageId(job, existingStage),
        });
      }
    }
    const rows = [
      insertCandidate(harness, tenant.clientId, roleId, {
        name,
        email: rowEmail,
        linkedin: linkedin === null ? null : `in/${linkedin}`,
      }),
    ];
    if (number === 4 || number === 8) {
      rows.push(
        insertCandidate(harness, tenant.clientId, roleId, {
          name,
          email: rowEmail?.toLowerCase() ?? null,
          linkedin:
            linkedin === null ? null : `https://www.linkedin.com/in/${linkedin.toUpperCase()}`,
        }),
      );
    }
    people.push({
      name,
      rows,
      emailKey: email === null ? null : (normalizeEmail(email) as { key: string }).key,
      linkedin,
      existingStage,
      existsInAshby,
      furthest: existingStage,
    });
  }
  return { tenant, roleId, people };
}

describe('randomised sync', () => {
  it.each([11, 29, 4])('ends exact after faults and restarts (seed %i)', async (seed) => {
    const random = prng(seed);
    harness = await createHarness({ timeScale: 20 });
    const clients: ClientModel[] = [];
    for (let index = 0; index < 3; index += 1) clients.push(await buildClient(index, random));

    for (const client of clients) {
      await addFault(harness.sandbox, {
        tenant: client.tenant.name,
        endpoint: '*',
        kind: 'http_500',
        rate: 0.04,
      });
      await addFault(harness.sandbox, {
        tenant: client.tenant.name,
        endpoint: '*',
        kind: 'rate_limit',
        rate: 0.03,
        ms: 2_000,
      });
      await addFault(harness.sandbox, {
        tenant: client.tenant.name,
        endpoint: '*',
        kind: 'timeout',
        rate: 0.01,
      });
      for (const endpoint of [
        'candidate.create',
        'application.create',
        'application.changeStage',
      ]) {
        await addFault(harness.sandbox, {
          tenant: client.tenant.name,
          endpoint,
          kind: 'commit_then_drop',
          rate: 0.15,
        });
      }
    }

    // Some engines stop abruptly: calls still in flight after 20 ms are aborted mid-write.
    const startEngine = (generation: number): SyncEngine =>
      harness.engine(
        { batchSize: 4, stopTimeoutMs: random() < 0.5 ? 20 : 3_000 },
        `engine-${seed}-${generation}`,
      );
    let engine = startEngine(0);
    await engine.start();
    let generation = 0;
    for (let step = 0; step < 60; step += 1) {
      const client = clients[Math.floor(random() * clients.length)] as ClientModel;
      const person = client.people[Math.floor(random() * client.people.length)] as Person;
      const event = EVENTS[Math.floor(random() * EVENTS.length)] as LifecycleEvent;
      const row = person.rows[Math.floor(random() * person.rows.length)] as number;
      enqueue(harness, {
        clientId: client.tenant.clientId,
        roleId: client.roleId,
        candidateId: row,
        event,
      });
      person.furthest = furthest(person.furthest, STAGE_FOR_EVENT[event] as string);

      if (random() < 0.08) {
        await engine.stop();
        generation += 1;
        engine = startEngine(generation);
        await engine.start();
      }
      await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 30)));
    }

    harness.sandbox.clearFaults();
    await engine.runUntilIdle({ timeoutMs: 60_000 });

    const retries = harness.db
      .prepare("SELECT COUNT(*) AS count FROM outbox_attempts WHERE outcome = 'retry'")
      .get() as { count: number };
    const verified = harness.db
      .prepare(
        "SELECT COUNT(*) AS count FROM outbox_steps WHERE step = 'verified' OR detail LIKE '%took effect%'",
      )
      .get() as { count: number };
    // The run must have met faults, unknown write outcomes and restarts, or it proves nothing.
    expect(retries.count).toBeGreaterThan(0);
    expect(verified.count).toBeGreaterThan(0);
    expect(generation).toBeGreaterThan(0);
    const stuck = harness.db
      .prepare("SELECT id, status, reason FROM outbox WHERE status NOT IN ('done')")
      .all();
    expect(stuck).toEqual([]);
    for (const client of clients) {
      const state = await snapshot(harness.sandbox, client.tenant.name);
      const touched = client.people.filter(
        (person) => person.existsInAshby || person.furthest !== null,
      );
      expect(state.candidates).toHaveLength(touched.length);

      const expectedApplications = client.people.filter((person) => person.furthest !== null);
      expect(state.applications).toHaveLength(expectedApplications.length);
      for (const person of client.people) {
        const matches = state.candidates.filter((candidate) => candidate.name === person.name);
        expect(matches, `${client.tenant.name}: ${person.name}`).toHaveLength(
          person.existsInAshby || person.furthest !== null ? 1 : 0,
        );
        const candidate = matches[0];
        if (candidate === undefined) continue;
        if (person.emailKey !== null) {
          const keys = candidate.emailAddresses.map(
            (entry) => (normalizeEmail(entry.value) as { key: string }).key,
          );
          expect(keys).toContain(person.emailKey);
        }
        const applications = state.applications.filter(
          (application) => application.candidate.id === candidate.id,
        );
        if (person.furthest === null) {
          expect(applications).toHaveLength(0);
          continue;
        }
        expect(applications, `${client.tenant.name}: ${person.name} applications`).toHaveLength(1);
        expect(
          applications[0]?.currentInterviewStage.title,
          `${client.tenant.name}: ${person.name} stage`,
        ).toBe(person.furthest);
      }
    }
  });
});
