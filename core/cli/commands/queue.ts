// `queue ...` (list, approve, discard) and `audit export`.
import { Command, InvalidArgumentError, Option } from 'commander';
import { OUTBOX_STATUSES, type OutboxStatus } from '../../../shared/domain.js';
import { AUDIT_EXPORT_FORMATS, type AuditExportFormat } from '../../audit/index.js';
import { approve, discard, exportAuditFile, listQueue, retry, type QueueItem, type ReviewResult } from '../../services/index.js';
import type { Output } from '../output.js';
import { countOf } from '../plural.js';
import { EXIT_FAILURE, UsageError, type CommandOutcome, type Runner } from '../runner.js';

function queueIds(values: readonly string[]): number[] {
  return values.map((value) => {
    if (!/^[1-9][0-9]*$/.test(value)) throw new UsageError(`"${value}" is not a queue item id; \`queue list\` shows the ids.`);
    return Number(value);
  });
}

function statusList(value: string): OutboxStatus[] {
  const statuses = value.split(',').map((item) => item.trim()).filter((item) => item !== '');
  const unknown = statuses.filter((status) => !(OUTBOX_STATUSES as readonly string[]).includes(status));
  if (unknown.length > 0) throw new InvalidArgumentError(`unknown status ${unknown.join(', ')}; use ${OUTBOX_STATUSES.join(', ')}`);
  return statuses as OutboxStatus[];
}

function printReview(out: Output, verb: string, result: ReviewResult): void {
  out.line(`${verb} ${countOf(result.changed.length, 'item')}${result.changed.length === 0 ? '' : `: ${result.changed.join(', ')}`}.`);
  for (const skipped of result.skipped) out.line(`  skipped: ${skipped.reason}`);
}

// A finished item shows what happened to it; a fresh planned effect would describe a push that
// will not be sent again.
function printItemState(out: Output, item: QueueItem): void {
  if (item.status === 'done') {
    out.line(`    finished: ${item.reason ?? 'sent to Ashby'}`);
    return;
  }
  if (item.status === 'discarded' || item.status === 'cancelled') {
    out.line(`    ${item.status} because: ${item.reason ?? 'no reason recorded'}`);
    return;
  }
  out.line(`    in Ashby: ${item.plannedEffect}`);
  if (item.reason === null) return;
  let label = 'waits because';
  if (item.status === 'failed') label = 'failed because';
  if (item.status === 'needs_attention') label = 'needs attention because';
  out.line(`    ${label}: ${item.reason}`);
}

// Ids that name no queue item are likely typos, so the command exits 1 after handling the others.
function reviewOutcome(out: Output, result: ReviewResult): CommandOutcome {
  if (result.notFound.length === 0) return { result };
  const label = result.notFound.length === 1 ? 'queue item' : 'queue items';
  const message = `No ${label} ${result.notFound.join(', ')}; \`queue list --status ${OUTBOX_STATUSES.join(',')}\` shows every id.`;
  out.notice(`error: ${message}`);
  return { result, exitCode: EXIT_FAILURE, error: { code: 'not_found', message } };
}

export function registerQueueCommands(program: Command, run: Runner): void {
  const queue = program.command('queue').description('read, approve and discard pushes waiting in the outbox');

  queue
    .command('list')
    .argument('[name]', 'only this client (name or id)')
    .option('--status <list>', 'comma-separated statuses (default: every unfinished status)', statusList)
    .description('list queue items: client, role, candidate, planned effect in Ashby and why each waits')
    .action(async (name: string | undefined, options: { status?: OutboxStatus[] }, command: Command) => {
      await run(command, { engine: false }, async ({ services, out }) => {
        const items = listQueue(services, {
          ...(name === undefined ? {} : { client: name }),
          ...(options.status === undefined ? {} : { statuses: options.status }),
        });
        if (items.length === 0) out.line('The queue is empty.');
        for (const item of items) {
          const person = [item.candidateName, item.email, item.linkedinUrl].filter((value) => value !== null).join(', ');
          out.line(`#${item.id} ${item.status} ${item.event}  ${item.clientName} / ${item.roleTitle} (${item.roleExternalId}) / ${person}`);
          printItemState(out, item);
        }
        return { result: items };
      });
    });

  queue
    .command('approve')
    .argument('[ids...]', 'queue item ids to approve')
    .option('--all <name>', 'approve every item of this client that waits for review')
    .description('approve items waiting for review so they are sent')
    .action(async (ids: string[], options: { all?: string }, command: Command) => {
      if (ids.length > 0 && options.all !== undefined) throw new UsageError('Give queue item ids or --all NAME, not both.');
      if (ids.length === 0 && options.all === undefined) throw new UsageError('Give the queue item ids to approve, or --all NAME.');
      const target = options.all === undefined ? { ids: queueIds(ids) } : { all: options.all };
      await run(command, { engine: false }, async ({ services, out }) => {
        const result = approve(services, target);
        printReview(out, 'Approved', result);
        return reviewOutcome(out, result);
      });
    });

  queue
    .command('discard')
    .argument('<ids...>', 'queue item ids to discard')
    .requiredOption('--reason <text>', 'why the items must not be sent (kept in the audit log)')
    .description('discard queue items; they are never sent')
    .action(async (ids: string[], options: { reason: string }, command: Command) => {
      const parsed = queueIds(ids);
      await run(command, { engine: false }, async ({ services, out }) => {
        const result = discard(services, parsed, options.reason);
        printReview(out, 'Discarded', result);
        return reviewOutcome(out, result);
      });
    });

  queue
    .command('retry')
    .argument('<ids...>', 'queue item ids to send again')
    .description('send failed or needs-attention items again once their cause is fixed')
    .action(async (ids: string[], _options: unknown, command: Command) => {
      const parsed = queueIds(ids);
      await run(command, { engine: false }, async ({ services, out }) => {
        const result = retry(services, parsed);
        printReview(out, 'Queued again', result);
        return reviewOutcome(out, result);
      });
    });

  const audit = program.command('audit').description('the sync audit log');
  audit
    .command('export')
    .addOption(new Option('--format <format>', 'file format').choices(AUDIT_EXPORT_FORMATS).makeOptionMandatory())
    .requiredOption('--out <file>', 'file to write')
    .option('--client <name>', 'only this client (name or id)')
    .option('--since <iso>', 'entries at or after this time (ISO-8601)')
    .option('--until <iso>', 'entries before this time (ISO-8601)')
    .option('--redact-pii', 'replace names, emails, LinkedIn URLs and phone numbers with stable pseudonyms')
    .description('export the audit log as CSV or JSON Lines; API keys are never in it')
    .action(
      async (
        options: { format: AuditExportFormat; out: string; client?: string; since?: string; until?: string; redactPii?: boolean },
        command: Command,
      ) => {
        await run(command, { engine: false }, async ({ services, out, userPath }) => {
          const progress = out.progress('audit export');
          const result = await exportAuditFile(services, {
            format: options.format,
            out: userPath(options.out),
            redactPii: options.redactPii === true,
            ...(options.client === undefined ? {} : { client: options.client }),
            ...(options.since === undefined ? {} : { since: options.since }),
            ...(options.until === undefined ? {} : { until: options.until }),
            onProgress: (step) => progress.update(step.rows, step.total),
          }).finally(() => progress.stop());
          out.line(`Wrote ${countOf(result.rows, 'audit entry', 'audit entries')} (${countOf(result.bytes, 'byte')}) to ${result.file}.`);
          return { result };
        });
      },
    );
}
