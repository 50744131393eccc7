// `import`, `roles ...`, `act`, `push` and `sync`: pipeline data in, role links, and pushes out.
import { Argument, Command, InvalidArgumentError, Option } from 'commander';
import { LIFECYCLE_EVENTS } from '../../../shared/domain.js';
import { describeLocation, type RejectedRow } from '../../pipeline/format.js';
import type { StageMapping } from '../../engine/plans.js';
import {
  act,
  importPipeline,
  linkRole,
  listRoles,
  PLAN_STAGE,
  push,
  setRoleStage,
  sync,
  unlinkRole,
  type PushResult,
} from '../../services/index.js';
import type { Output } from '../output.js';
import { countOf } from '../plural.js';
import { EXIT_FAILURE, type Runner } from '../runner.js';

function seconds(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new InvalidArgumentError(`expected a number of seconds above 0, got "${value}"`);
  return parsed;
}

function describeRejected(row: RejectedRow, prefix = ''): string {
  const where = row.line !== undefined ? describeLocation({ line: row.line }) : describeLocation({ path: row.path ?? '' });
  return `${where}: ${row.field} = ${JSON.stringify(row.value)}: ${prefix}${row.reason}`;
}

function printStageMapping(out: Output, mapping: StageMapping): void {
  out.line(`Stages of job ${mapping.jobTitle ?? mapping.jobId ?? '(not linked)'}:`);
  for (const entry of mapping.events) {
    const off = entry.enabled ? '' : ' (event off)';
    const stage =
      entry.stage === null
        ? `needs attention: ${entry.problem ?? 'no stage'}`
        : `${entry.stage.title} (${entry.stage.id})${entry.source === 'override' ? ', chosen by an admin' : ''}`;
    out.line(`  ${entry.event}${off}: ${stage}`);
  }
}

function printPush(out: Output, result: PushResult): void {
  const { plan } = result;
  if (plan.kind === 'candidate') {
    const prefix = result.dryRun ? 'Would push' : 'Queued';
    out.line(`${prefix} ${plan.candidate.name} (${plan.candidate.externalId}) as ${plan.candidate.event}: ${plan.candidate.summary}.`);
  } else {
    const { bulk } = plan;
    const byEvent = Object.entries(bulk.byEvent).map(([event, count]) => `${event} ${count}`).join(', ');
    out.line(`${result.dryRun ? 'Would push' : 'Pushing'} ${countOf(bulk.total, 'candidate')}${byEvent === '' ? '' : ` (${byEvent})`}.`);
    for (const excluded of bulk.excluded) out.line(`  left out: ${excluded.count} ${excluded.reason}`);
    if (result.runId !== null) out.line(`Bulk push run ${result.runId} queued; \`sync\` sends it (or the desktop app, when it runs).`);
  }
  if (result.outboxId !== null) out.line(`Queue item ${result.outboxId}; \`sync\` sends it (or the desktop app, when it runs).`);
  if (result.dryRun) out.line('Dry run: nothing was queued and Ashby was not called.');
}

export function registerPipelineCommands(program: Command, run: Runner): void {
  program
    .command('import')
    .argument('<name>', 'client name or id')
    .argument('<file>', 'Jack & Jill pipeline export (.json or .csv)')
    .description('import a pipeline export; good rows are imported and rejected rows listed')
    .action(async (name: string, file: string, _options: unknown, command: Command) => {
      await run(command, { engine: false }, async ({ services, out, userPath }) => {
        const progress = out.progress('import');
        const report = await importPipeline(services, name, userPath(file), {
          onProgress: (step) => progress.update(step.bytesRead, step.totalBytes, `${countOf(step.rowsRead, 'row')} ${step.phase}`),
        }).finally(() => progress.stop());
        out.line(
          `Imported ${report.rows - report.rowsRejected} of ${countOf(report.rows, 'row')}: ${countOf(report.candidatesCreated, 'candidate')} created, ` +
            `${report.candidatesUpdated} updated, ${report.unchanged} unchanged, ${countOf(report.eventsFired, 'event')} queued.`,
        );
        const dropped = report.rejected.filter((row) => row.rowKept !== true);
        const kept = report.rejected.filter((row) => row.rowKept === true);
        if (dropped.length > 0) {
          out.line(`${countOf(report.rowsRejected, 'row')} rejected:`);
          for (const row of dropped) out.line(`  ${describeRejected(row)}`);
        }
        if (kept.length > 0) {
          const resumeNote = 'without their resume (import a fixed file, then retry the push)';
          out.line(`${countOf(report.rowsWithoutResume, 'row')} imported ${resumeNote}:`);
          for (const row of kept) out.line(`  ${describeRejected(row, 'imported without resume: ')}`);
        }
        for (const stale of report.stale) out.line(`  kept newer state for ${stale.candidateId}: ${stale.reason}`);
        return { result: report };
      });
    });

  const roles = program.command('roles').description("list, link and unlink a client's roles, and choose their stages");
  roles
    .command('list')
    .argument('<name>', 'client name or id')
    .description("list roles with console id, the export's role id, title, linked job and counts")
    .action(async (name: string, _options: unknown, command: Command) => {
      await run(command, { engine: false }, async ({ services, out }) => {
        const rows = listRoles(services, name);
        if (rows.length === 0) out.line('No roles yet; import a pipeline export with `import NAME FILE`.');
        else {
          out.table(
            ['ID', 'EXPORT ID', 'TITLE', 'ASHBY JOB', 'LINK', 'CANDIDATES', 'LINKED', 'NOT IN ASHBY'],
            rows.map((role) => [
              role.id,
              role.externalId,
              role.title,
              role.ashbyJobId === null ? null : `${role.ashbyJobTitle ?? ''} (${role.ashbyJobId})`,
              role.linkStatusReason === null ? role.linkStatus : `${role.linkStatus}: ${role.linkStatusReason}`,
              role.candidates,
              role.byAshbyStatus.linked,
              role.byAshbyStatus.not_in_ashby,
            ]),
          );
        }
        return { result: rows };
      });
    });

  roles
    .command('link')
    .argument('<name>', 'client name or id')
    .argument('<role>', "role's console id or the export's role id")
    .argument('<job>', 'Ashby job id (`clients jobs NAME` lists them)')
    .option('--timeout <seconds>', 'how long to wait for link resolution', seconds, 600)
    .description('link a role to an Ashby job and wait until link resolution has found which candidates are already in Ashby')
    .action(async (name: string, role: string, job: string, options: { timeout: number }, command: Command) => {
      await run(command, { engine: true }, async ({ services, out }) => {
        const progress = out.progress('link resolution');
        const result = await linkRole(services, name, role, job, {
          timeoutMs: options.timeout * 1000,
          onProgress: (step) => progress.update(step.done, step.total),
        }).finally(() => progress.stop());
        out.line(`Linked role "${result.role.title}" to job ${result.role.ashbyJobTitle ?? ''} (${job}): ${result.message ?? result.runStatus}.`);
        if (result.role.linkStatus === 'needs_attention') out.line(`Needs attention: ${result.role.linkStatusReason ?? ''}`);
        if (result.warning !== undefined) out.notice(`warning: ${result.warning}`);
        return { result };
      });
    });

  roles
    .command('unlink')
    .argument('<name>', 'client name or id')
    .argument('<role>', "role's console id or the export's role id")
    .description("remove a role's link to its Ashby job; nothing in Ashby changes")
    .action(async (name: string, role: string, _options: unknown, command: Command) => {
      await run(command, { engine: false }, async ({ services, out }) => {
        const result = await unlinkRole(services, name, role);
        out.line(`Unlinked role "${result.title}".`);
        return { result };
      });
    });

  roles
    .command('set-stage')
    .argument('<name>', 'client name or id')
    .argument('<role>', "role's console id or the export's role id")
    .addArgument(new Argument('<event>', 'lifecycle event').choices(LIFECYCLE_EVENTS))
    .argument('<stage>', `Ashby interview stage id, or "${PLAN_STAGE}" to use the stage the plan maps to`)
    .description('choose the Ashby stage an event moves candidates of a role to, and queue again the pushes that waited for it')
    .action(async (name: string, role: string, event: string, stage: string, _options: unknown, command: Command) => {
      await run(command, { engine: false }, async ({ services, out }) => {
        const result = setRoleStage(services, name, role, event, stage);
        printStageMapping(out, result);
        return { result };
      });
    });

  program
    .command('act')
    .argument('<name>', 'client name or id')
    .argument('<role>', "role's console id or the export's role id")
    .argument('<candidate>', "candidate's console id or the export's candidate id")
    .addArgument(new Argument('<action>', 'pipeline action').choices(LIFECYCLE_EVENTS))
    .description('take a pipeline action on a candidate; the matching event is queued as an import would')
    .action(async (name: string, role: string, candidate: string, action: string, _options: unknown, command: Command) => {
      await run(command, { engine: false }, async ({ services, out }) => {
        const result = act(services, name, role, candidate, action);
        if (!result.changed) out.line(`${result.candidateName} is already ${result.state}; nothing was queued.`);
        else {
          out.line(`${result.candidateName}: ${result.previousState} -> ${result.state}; ${action} queued as item ${result.outboxId} (${result.queueStatus}).`);
          if (result.queueReason !== null) out.line(`  ${result.queueReason}`);
          if (result.plannedEffect !== null) out.line(`  in Ashby: ${result.plannedEffect}`);
        }
        return { result };
      });
    });

  program
    .command('push')
    .argument('<name>', 'client name or id')
    .argument('<role>', "role's console id or the export's role id")
    .option('--candidate <id>', "push one candidate (console id or the export's candidate id) whatever the event toggles")
    .option('--dry-run', 'print the plan without queuing anything or calling Ashby')
    .description("push a role's unlinked candidates whose state matches an enabled event, or one candidate")
    .action(async (name: string, role: string, options: { candidate?: string; dryRun?: boolean }, command: Command) => {
      await run(command, { engine: false }, async ({ services, out }) => {
        const result = await push(services, name, role, {
          ...(options.candidate === undefined ? {} : { candidate: options.candidate }),
          dryRun: options.dryRun === true,
        });
        printPush(out, result);
        return { result };
      });
    });

  program
    .command('sync')
    .argument('[name]', 'only wait for this client (name or id)')
    .addOption(new Option('--timeout <seconds>', 'give up waiting after this many seconds').argParser(seconds).default(1800))
    .description('run the sync engine until nothing in the outbox is runnable; exits 1 if items failed or Ashby rejected a key')
    .action(async (name: string | undefined, options: { timeout: number }, command: Command) => {
      await run(command, { engine: true }, async ({ services, out }) => {
        const progress = out.progress('sync');
        const report = await sync(services, {
          ...(name === undefined ? {} : { client: name }),
          timeoutMs: options.timeout * 1000,
          onTick: (counts) => progress.update(counts.done + counts.failed, counts.done + counts.failed + counts.remaining, `${counts.failed} failed`),
        }).finally(() => progress.stop());
        out.line(`Sent ${countOf(report.done, 'item')}; ${report.failures.length} failed.`);
        for (const failure of report.failures) {
          out.line(`  item ${failure.outboxId} ${failure.clientName} / ${failure.roleTitle} / ${failure.candidateName} (${failure.event}): ${failure.reason ?? failure.status}`);
        }
        if (report.waitingReview > 0) {
          out.line(`${countOf(report.waitingReview, 'item waits', 'items wait')} for review (\`queue list\`).`);
        }
        if (report.paused > 0) out.line(`${countOf(report.paused, 'item is', 'items are')} paused (client disconnected).`);
        if (report.waitingRetry > 0) {
          const from = report.nextRetryAt === null ? '' : ` from ${report.nextRetryAt}`;
          out.line(`${countOf(report.waitingRetry, 'item waits', 'items wait')} for a retry${from}; run sync again later.`);
        }
        for (const client of report.unhealthyClients) out.line(`${client.name} is ${client.status}: ${client.reason ?? 'no reason recorded'}.`);
        const disconnected = report.unhealthyClients.filter((client) => client.status === 'disconnected');
        if (report.failures.length === 0 && disconnected.length === 0) return { result: report };
        const problems = [
          ...(report.failures.length === 0 ? [] : [`${countOf(report.failures.length, 'item')} failed; \`queue list\` shows why. Fix the cause and retry them`]),
          ...disconnected.map((client) => `${client.name} is disconnected (${client.reason ?? 'key rejected'}); replace its key or run \`clients reconnect\``),
        ];
        return {
          result: report,
          exitCode: EXIT_FAILURE,
          error: { code: report.failures.length > 0 ? 'sync_failures' : 'ashby_auth', message: `${problems.join('. ')}.` },
        };
      });
    });
}
