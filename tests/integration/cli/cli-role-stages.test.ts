// `roles set-stage`: choosing the Ashby stage of an event for a role from the CLI, clearing the
// choice, and the errors for an unknown stage or event.
import path from 'node:path';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../core/sandbox/index.js';
import { createCliHarness, SAMPLES, type CliHarness } from './cli-harness.js';

const TENANT = 'Acme Health';
const ROLE = 'acme-role-001';

interface MappingDocument {
  events: { event: string; stage: { id: string; title: string } | null; source: string | null }[];
}

let sandbox: Sandbox;
let cli: CliHarness;
let stages: { id: string; title: string; type: string }[];

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 'demo' });
  const apiKey = sandbox.tenants.find((tenant) => tenant.name === TENANT)?.apiKey ?? '';
  cli = createCliHarness();
  const added = await cli.run(['clients', 'add', '--name', TENANT, '--base-url', sandbox.url, '--sandbox'], { input: apiKey });
  expect(added.code).toBe(0);
  expect((await cli.run(['import', TENANT, path.join(SAMPLES, 'acme-health.csv')])).code).toBe(0);

  const response = await fetch(`${sandbox.url}/_sandbox/state?tenant=${encodeURIComponent(TENANT)}`);
  const state = (await response.json()) as {
    jobs: { id: string; title: string; defaultInterviewPlanId: string }[];
    interviewStages: { id: string; title: string; type: string; interviewPlanId: string }[];
  };
  const job = state.jobs.find((entry) => entry.title === 'Full-Stack Engineer');
  if (job === undefined) throw new Error('the demo seed has no Full-Stack Engineer job');
  stages = state.interviewStages.filter((stage) => stage.interviewPlanId === job.defaultInterviewPlanId);
  expect((await cli.run(['roles', 'link', TENANT, ROLE, job.id])).code).toBe(0);
}, 60_000);

afterAll(async () => {
  await sandbox.close();
  rmSync(cli.dataDir, { recursive: true, force: true });
});

function completeIntro(document: { result?: unknown }) {
  return (document.result as MappingDocument).events.find((entry) => entry.event === 'complete_intro');
}

describe('cli roles set-stage', () => {
  it('stores the chosen stage', async () => {
    const active = stages.filter((stage) => stage.type === 'Active');
    const chosen = active[active.length - 1];
    if (chosen === undefined) throw new Error('the job has no Active stage');

    const { run, document } = await cli.json(['roles', 'set-stage', TENANT, ROLE, 'complete_intro', chosen.id]);

    expect(run.code).toBe(0);
    expect(completeIntro(document)?.stage?.id).toBe(chosen.id);
    expect(completeIntro(document)?.source).toBe('override');
  });

  it('clears the choice with default', async () => {
    const result = await cli.run(['roles', 'set-stage', TENANT, ROLE, 'complete_intro', 'default']);

    expect(result.code).toBe(0);
    const line = result.stdout.split('\n').find((entry) => entry.trim().startsWith('complete_intro:'));
    expect(line).toBeDefined();
    expect(line).not.toContain('chosen by an admin');
    expect(line).not.toContain('needs attention');
  });

  it('rejects a stage the job lacks', async () => {
    const result = await cli.run(['roles', 'set-stage', TENANT, ROLE, 'complete_intro', 'no-such-stage']);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('has no stage "no-such-stage"');
    expect(result.stderr).toContain(stages[0]?.id ?? 'missing');
  });

  it('rejects an unknown event', async () => {
    const result = await cli.run(['roles', 'set-stage', TENANT, ROLE, 'promote', stages[0]?.id ?? '']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('complete_intro');
  });
});
