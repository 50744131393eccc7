import { describe, expect, it } from 'vitest';

import type { StoredCandidate, Tenant } from '../../../core/sandbox/model.js';
import { demoTenants, emptyTenant, largeTenant } from '../../../core/sandbox/seed.js';

const NOW = Date.parse('2026-06-01T12:00:00.000Z');

function byName(tenant: Tenant, name: string): StoredCandidate {
  const candidate = [...tenant.candidates.values()].find((entry) => entry.name === name);
  if (!candidate) throw new Error(`${tenant.name} has no candidate ${name}`);
  return candidate;
}

function jobTable(tenant: Tenant): [string, string, boolean][] {
  return [...tenant.jobs.values()].map((job) => [job.title, job.status, job.confidential]);
}

function stageTitles(tenant: Tenant, planId: string): string[] {
  return tenant.plans.get(planId)!.stageIds.map((id) => tenant.stages.get(id)!.title);
}

describe('demo seed', () => {
  const [northwind, acme, globex] = demoTenants(NOW).map((seeded) => seeded.tenant) as [Tenant, Tenant, Tenant];

  it('has the agreed tenants and jobs', () => {
    expect(northwind.name).toBe('Northwind Robotics');
    expect(jobTable(northwind)).toEqual([
      ['Senior Backend Engineer', 'Open', false],
      ['Product Designer', 'Open', false],
      ['Data Scientist', 'Closed', false],
      ['Head of Sales', 'Draft', false],
      ['Staff ML Engineer', 'Open', true],
    ]);
    expect(acme.name).toBe('Acme Health');
    expect(jobTable(acme)).toEqual([
      ['Full-Stack Engineer', 'Open', false],
      ['Clinical Operations Lead', 'Open', false],
    ]);
    expect(globex.name).toBe('Globex Logistics');
    expect(jobTable(globex)).toEqual([
      ['Warehouse Operations Manager', 'Open', false],
      ['Site Reliability Engineer', 'Open', false],
    ]);
  });

  it('has the agreed existing candidates', () => {
    const jane = byName(northwind, 'Jane Roe');
    expect(jane.emails).toEqual([{ value: 'jane.roe@example.com', type: 'Personal' }]);
    expect(jane.applicationIds).toEqual([]);

    const omar = byName(northwind, 'Omar Haddad');
    expect(omar.emails).toEqual([]);
    expect(omar.socialLinks).toEqual([{ type: 'LinkedIn', url: 'https://www.linkedin.com/in/omar-haddad-fake/' }]);

    const priya = byName(northwind, 'Priya Natarajan');
    expect(priya.emails[0]!.value).toBe('priya.natarajan@example.org');
    expect(priya.applicationIds).toHaveLength(1);
    const application = northwind.applications.get(priya.applicationIds[0]!)!;
    expect(northwind.jobs.get(application.jobId)!.title).toBe('Senior Backend Engineer');
    expect(northwind.stages.get(application.stageId)!.title).toBe('Phone Screen');
    expect(application.status).toBe('Active');

    expect(byName(acme, 'Lucas Moreau').emails[0]!.value).toBe('lucas.moreau@example.net');
    expect(byName(acme, 'Mei Tanaka').socialLinks).toEqual([{ type: 'LinkedIn', url: 'https://linkedin.com/in/mei-tanaka-fake' }]);
    expect(byName(globex, 'Sven Larsen').emails[0]!.value).toBe('sven.larsen@example.com');
    expect(byName(globex, 'Ana Souza').emails[0]!.value).toBe('ana.souza@example.com');
  });

  it('holds 15 to 30 other candidates per tenant', () => {
    const existing = { 'Northwind Robotics': 3, 'Acme Health': 2, 'Globex Logistics': 2 } as Record<string, number>;
    for (const tenant of [northwind, acme, globex]) {
      const others = tenant.candidates.size - existing[tenant.name]!;
      expect(others, tenant.name).toBeGreaterThanOrEqual(15);
      expect(others, tenant.name).toBeLessThanOrEqual(30);
    }
  });

  it('uses fake example domains only', () => {
    for (const tenant of [northwind, acme, globex]) {
      for (const candidate of tenant.candidates.values()) {
        for (const email of candidate.emails) expect(email.value).toMatch(/@example\.(com|org|net)$/);
      }
    }
  });

  it('has no filler candidate named like an agreed one', () => {
    const agreed = ['Jane Roe', 'Omar Haddad', 'Priya Natarajan', 'Lucas Moreau', 'Mei Tanaka', 'Sven Larsen', 'Ana Souza'];
    for (const tenant of [northwind, acme, globex]) {
      const names = [...tenant.candidates.values()].map((candidate) => candidate.name);
      for (const name of agreed) expect(names.filter((entry) => entry === name).length).toBeLessThanOrEqual(1);
    }
  });

  it('puts the three Lead stages first in every plan', () => {
    for (const tenant of [northwind, acme, globex]) {
      for (const plan of tenant.plans.values()) {
        const stages = plan.stageIds.map((id) => tenant.stages.get(id)!);
        expect(stages.slice(0, 3).map((stage) => [stage.title, stage.type])).toEqual([
          ['New Lead', 'Lead'],
          ['Reached Out', 'Lead'],
          ['Replied', 'Lead'],
        ]);
        expect(stages.map((stage) => stage.type)).toContain('Archived');
        expect(stages.map((stage) => stage.type)).toContain('Hired');
      }
    }
  });

  it('gives one Acme job a different plan', () => {
    const [fullStack, clinical] = [...acme.jobs.values()];
    expect(stageTitles(acme, clinical!.defaultInterviewPlanId)).not.toEqual(stageTitles(acme, fullStack!.defaultInterviewPlanId));
  });

  it('has the agreed sources and archive reasons', () => {
    for (const tenant of [northwind, acme, globex]) {
      const sources = [...tenant.sources.values()].filter((source) => !source.isArchived).map((source) => source.title);
      expect(sources).toEqual(['Jack & Jill', 'LinkedIn', 'Referral', 'Applied']);
      const reasons = [...tenant.archiveReasons.values()].filter((reason) => !reason.isArchived).map((reason) => reason.text);
      expect(reasons).toEqual(['Not a fit', 'Withdrew', 'Hired elsewhere']);
      expect(tenant.users.size).toBeGreaterThanOrEqual(2);
    }
  });

  it('is the same on every start', () => {
    const again = demoTenants(NOW);
    expect([...again[0]!.tenant.candidates.keys()]).toEqual([...northwind.candidates.keys()]);
    expect(again.map((seeded) => seeded.apiKey)).toEqual(demoTenants(NOW + 1000).map((seeded) => seeded.apiKey));
  });
});

describe('other seeds', () => {
  it('empty has open jobs but no candidates', () => {
    const { tenant, apiKey } = emptyTenant('Sandbox Org', NOW, true);
    expect(tenant.candidates.size).toBe(0);
    expect([...tenant.jobs.values()].filter((job) => job.status === 'Open').length).toBeGreaterThan(0);
    expect(tenant.sources.size).toBeGreaterThan(0);
    expect(tenant.archiveReasons.size).toBeGreaterThan(0);
    expect(apiKey).toMatch(/^[A-Za-z0-9_-]{40}$/);
  });

  it('large has the requested candidates', () => {
    const { tenant } = largeTenant('Bench', NOW, 3000);
    expect(tenant.candidates.size).toBe(3000);
    expect(tenant.applications.size).toBe(1000);
    expect(tenant.emailIndex.size).toBe(3000);
  });
});
