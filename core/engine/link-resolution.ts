// Link resolution: when a role is linked to an Ashby job, finds which of its candidates already
// exist in Ashby. Each candidate ends linked (with candidate and application ids) or not in Ashby.
import type Database from 'better-sqlite3';
import { isoNow, type Clock } from '../clock.js';
import { prepareCached } from '../store/statements.js';
import { TurnBudget } from '../turns.js';
import type { EngineAuditEntry } from './audit.js';
import { refreshApplications, refreshCandidates } from './ashby-index.js';
import type { AshbyPort, JobPlan } from './ashby-port.js';
import { stageMappingFor } from './plans.js';
import { candidateIdentity } from './process-item.js';
import { chooseStrategy, findApplication, findCandidate } from './resolver.js';
import { getRole, type CandidateRow, type ClientRow } from './rows.js';
import { getRun, setRunStatus, type RunRow } from './runs.js';
import { rememberAllStages } from './stage-mapping.js';


export interface LinkResolutionDeps {
  db: Database.Database;
  clock: Clock;
  signal: AbortSignal;
  /** Candidates between two progress updates. */
  chunkSize: number;
  unknownTenantPages: number;
  isStopping(): boolean;
  loadPlan(client: ClientRow, port: AshbyPort, jobId: string): Promise<JobPlan>;
  /** Records that the candidates and the job's applications were just read from Ashby. */
  noteIndexRead(clientId: number, jobId: string): void;
  audit(entry: EngineAuditEntry): void;
  emitRun(run: RunRow | undefined): void;
}

/** Resolves every candidate of the run's role; returns early when the run is paused or cancelled. */
export async function resolveLinks(
  deps: LinkResolutionDeps,
  run: RunRow,
  client: ClientRow,
  port: AshbyPort,
): Promise<void> {
  const { db, clock, audit, emitRun, loadPlan } = deps;
  const limits = { chunkSize: deps.chunkSize, unknownTenantPages: deps.unknownTenantPages };
  const role = run.role_id === null ? undefined : getRole(db, run.role_id);
  if (role === undefined || role.ashby_job_id === null) {
    setRunStatus(db, clock, run.id, 'failed', 'the role is no longer linked');
    return;
  }
  const jobId = role.ashby_job_id;
  const plan = await loadPlan(client, port, jobId);
  prepareCached(
    db,
    'UPDATE roles SET ashby_job_title = ?, ashby_interview_plan_id = ?, updated_at = ? WHERE id = ?',
  ).run(plan.title, plan.interviewPlanId, isoNow(clock), role.id);
  // Pushes keep the stages resolved here, so a stage deleted in Ashby later parks them.
  rememberAllStages(db, clock, role.id, plan.stages);

  // Only the columns the identity needs. Full rows of 5 roles of 2,000 candidates kept about 20 MB
  // alive during resolution, and V8 sets the next heap limit as a multiple of what is alive.
  const candidates = prepareCached(
    db,
    'SELECT id, name, email, linkedin_url FROM candidates WHERE role_id = ? ORDER BY id',
  ).all(role.id) as Pick<CandidateRow, 'id' | 'name' | 'email' | 'linkedin_url'>[];
  const identities = candidates.map((candidate) => candidateIdentity(candidate));
  const valid = identities.flatMap((identity) => (identity.ok ? [identity.identity] : []));
  const { strategy } = chooseStrategy(db, client.id, valid, limits.unknownTenantPages);
  if (strategy === 'index') {
    await refreshCandidates(db, clock, client.id, port, deps.signal);
    await refreshApplications(db, clock, client.id, jobId, port, deps.signal);
    deps.noteIndexRead(client.id, jobId);
  }
  prepareCached(db, 'UPDATE runs SET total = ?, updated_at = ? WHERE id = ?').run(
    candidates.length,
    isoNow(clock),
    run.id,
  );
  const resolver = { db, clock, clientId: client.id, port, strategy, signal: deps.signal };

  const turn = new TurnBudget();
  let done = 0;
  let linked = 0;
  // Candidates found in Ashby, with or without an application on the job.
  let found = 0;
  for (let index = 0; index < candidates.length; index += 1) {
    const current = getRun(db, run.id);
    if (current === undefined || current.status !== 'running' || deps.isStopping()) return;
    const candidate = candidates[index] as (typeof candidates)[number];
    const identity = identities[index] as (typeof identities)[number];
    const now = isoNow(clock);
    if (!identity.ok) {
      prepareCached(
        db,
        `UPDATE candidates SET ashby_status = 'not_in_ashby', ashby_status_reason = ?, updated_at = ? WHERE id = ?`,
      ).run(identity.reason, now, candidate.id);
    } else {
      const match = await findCandidate(resolver, identity.identity, false);
      const application =
        match === undefined ? undefined : await findApplication(resolver, match.id, jobId, false);
      const status = application === undefined ? 'not_in_ashby' : 'linked';
      if (match !== undefined) found += 1;
      if (application !== undefined) linked += 1;
      prepareCached(
        db,
        `UPDATE candidates SET ashby_status = ?, ashby_status_reason = NULL, ashby_candidate_id = ?, ashby_application_id = ?, updated_at = ? WHERE id = ?`,
      ).run(status, match?.id ?? null, application?.id ?? null, now, candidate.id);
      if (match !== undefined) {
        audit({
          clientId: client.id,
          roleId: role.id,
          candidateId: candidate.id,
          action: 'linked',
          outcome: 'ok',
          message:
            application === undefined
              ? `found Ashby candidate ${match.id} by ${match.via}; no application on job "${plan.title}" yet`
              : `linked to Ashby candidate ${match.id} by ${match.via}, application ${application.id} at ${application.stage.title || application.stage.id}`,
          ashbyCandidateId: match.id,
          ashbyApplicationId: application?.id ?? null,
        });
      }
    }
    done += 1;
    if (done % limits.chunkSize === 0 || done === candidates.length) {
      prepareCached(db, 'UPDATE runs SET done = ?, updated_at = ? WHERE id = ?').run(
        done,
        isoNow(clock),
        run.id,
      );
      emitRun(getRun(db, run.id));
    }
    // Index lookups resolve without I/O, so yield explicitly to keep the event loop responsive.
    await turn.pace();
  }

  const summary = `${found} of ${candidates.length} candidates already in Ashby, ${linked} with an application on this job`;
  const mapping = stageMappingFor(db, role.id);
  const gaps = mapping.events.filter((event) => event.enabled && event.stage === null);
  const reason =
    gaps.length === 0
      ? null
      : gaps.map((gap) => `${gap.event}: ${gap.problem ?? 'no stage'}`).join('; ');
  db.transaction(() => {
    prepareCached(
      db,
      'UPDATE roles SET link_status = ?, link_status_reason = ?, updated_at = ? WHERE id = ?',
    ).run(reason === null ? 'linked' : 'needs_attention', reason, isoNow(clock), role.id);
    prepareCached(db, 'UPDATE runs SET done = ?, total = ?, updated_at = ? WHERE id = ?').run(
      done,
      candidates.length,
      isoNow(clock),
      run.id,
    );
    setRunStatus(db, clock, run.id, 'completed', summary);
    audit({
      clientId: client.id,
      roleId: role.id,
      action: 'link_resolution',
      outcome: 'ok',
      message: `linked role "${role.title}" to job "${plan.title}": ${summary}`,
    });
  })();
  emitRun(getRun(db, run.id));
}
