// `clients ...`: connect, list, test, configure, disconnect and reconnect client tenants.
import { Command, InvalidArgumentError } from 'commander';
import {
  addClient,
  disconnectClient,
  listArchiveReasons,
  listClients,
  listJobs,
  listSources,
  parseEvents,
  reconnectClient,
  replaceKey,
  testClient,
  updateClientSettings,
  ASHBY_BASE_URL,
  type ClientOverview,
  type KeyVerification,
  type SettingsInput,
} from '../../services/index.js';
import type { Output } from '../output.js';
import { countOf } from '../plural.js';
import { EXIT_FAILURE, type Runner } from '../runner.js';
import { readApiKey } from '../stdin.js';

/** Parses a comma-separated event list (`request_intro,hire`); `none` turns every event off. */
export function eventList(value: string): string[] {
  const trimmed = value.trim();
  if (trimmed === 'none') return [];
  const events = trimmed.split(',').map((item) => item.trim()).filter((item) => item !== '');
  try {
    return parseEvents(events);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function onOff(value: string): boolean {
  if (value === 'on') return true;
  if (value === 'off') return false;
  throw new InvalidArgumentError(`expected on or off, got "${value}"`);
}

function retentionDays(value: string): number | null {
  if (value === 'forever') return null;
  const days = Number(value);
  if (!Number.isInteger(days) || days <= 0) throw new InvalidArgumentError(`expected a whole number of days above 0 or "forever", got "${value}"`);
  return days;
}

function printChecklist(out: Output, verification: KeyVerification): void {
  if (verification.keyTitle !== null) out.line(`Key: ${verification.keyTitle}`);
  // One line per event (and one for the connection check), each permission ticked or missing.
  const byEvent = new Map<string, string[]>();
  for (const line of verification.checklist) {
    const label = line.event === 'connection_check' ? 'connection check' : line.event;
    byEvent.set(label, [...(byEvent.get(label) ?? []), `[${line.granted ? 'x' : ' '}] ${line.permission}`]);
  }
  for (const [event, permissions] of byEvent) out.line(`  ${event.padEnd(17)} ${permissions.join('  ')}`);
  out.line(verification.message);
}

function printClient(out: Output, client: ClientOverview): void {
  out.line(`${client.name} (id ${client.id}) ${client.status}${client.statusReason === null ? '' : `: ${client.statusReason}`}`);
  out.line(`  base URL:            ${client.baseUrl}${client.isSandbox ? ' (sandbox)' : ''}`);
  out.line(`  events:              ${client.enabledEvents.join(', ') || 'none'}`);
  out.line(`  source:              ${client.sourceTitle ?? 'not set'}`);
  out.line(`  archive reason:      ${client.archiveReasonText ?? 'not set'}`);
  out.line(`  review before push:  ${client.reviewBeforePush ? 'on' : 'off'}`);
}

export function registerClientCommands(program: Command, run: Runner): void {
  const clients = program.command('clients').description('connect and manage client tenants (one Ashby organisation and API key each)');

  clients
    .command('add')
    .description('connect a client: the API key is read from stdin, verified with apiKey.info and a permission check, then stored')
    .requiredOption('--name <name>', "the client organisation's name")
    .option('--base-url <url>', "Ashby API base URL", ASHBY_BASE_URL)
    .option('--events <list>', 'comma-separated events to enable (default: request_intro,complete_intro,archive,hire)', eventList)
    .option(
      '--sandbox',
      'the key belongs to a sandbox on this machine (base URL on 127.0.0.1, localhost or [::1]); it is kept in the database instead of the OS keychain',
    )
    .action(async (options: { name: string; baseUrl: string; events?: string[]; sandbox?: boolean }, command: Command) => {
      const apiKey = await readApiKey();
      await run(command, { engine: false }, async ({ services, out }) => {
        const added = await addClient(services, {
          name: options.name,
          baseUrl: options.baseUrl,
          apiKey,
          ...(options.events === undefined ? {} : { events: parseEvents(options.events) }),
          sandbox: options.sandbox === true,
        });
        printChecklist(out, added.verification);
        out.line(`Added client ${added.client.name} (id ${added.client.id}).`);
        if (services.secrets.kind === 'memory' && !added.client.isSandbox) {
          out.notice('warning: ASHBY_SYNC_SECRET_STORE=memory keeps the key only while this command runs; later commands will not find it.');
        }
        return { result: added };
      });
    });

  clients
    .command('list')
    .description('list clients with their status, queue counts and last successful push')
    .action(async (_options: unknown, command: Command) => {
      await run(command, { engine: false }, async ({ services, out }) => {
        const rows = listClients(services);
        if (rows.length === 0) out.line('No clients yet; add one with `clients add --name NAME`.');
        else {
          out.table(
            ['ID', 'NAME', 'STATUS', 'PENDING', 'REVIEW', 'FAILED', 'ATTENTION', 'LAST PUSH', 'REASON'],
            rows.map((client) => [
              client.id,
              client.name,
              client.status,
              client.counts.pending,
              client.counts.waitingReview,
              client.counts.failed,
              client.counts.needsAttention,
              client.lastPushAt,
              client.statusReason,
            ]),
          );
        }
        return { result: rows };
      });
    });

  clients
    .command('test')
    .argument('<name>', 'client name or id')
    .description("test the stored key: apiKey.info and every permission the enabled events need")
    .action(async (name: string, _options: unknown, command: Command) => {
      await run(command, { engine: false }, async ({ services, out }) => {
        const verification = await testClient(services, name);
        printChecklist(out, verification);
        return verification.ok
          ? { result: verification }
          : { result: verification, exitCode: EXIT_FAILURE, error: { code: verification.problem ?? 'ashby_error', message: verification.message } };
      });
    });

  clients
    .command('set')
    .argument('<name>', 'client name or id')
    .description("change a client's settings; each change is written to the audit log")
    .option('--events <list>', 'comma-separated events to enable, or "none"', eventList)
    .option('--source-id <id>', 'Ashby source id for applications the console creates (checked against source.list)')
    .option('--archive-reason-id <id>', 'Ashby archive reason id for the archive event (checked against archiveReason.list)')
    .option('--review-before-push <on|off>', 'hold every push for review before it is sent', onOff)
    .option('--retention-days <days>', 'days audit entries are kept, or "forever"', retentionDays)
    .action(
      async (
        name: string,
        options: { events?: string[]; sourceId?: string; archiveReasonId?: string; reviewBeforePush?: boolean; retentionDays?: number | null },
        command: Command,
      ) => {
        await run(command, { engine: false }, async ({ services, out }) => {
          const input: SettingsInput = {
            ...(options.events === undefined ? {} : { events: parseEvents(options.events) }),
            ...(options.sourceId === undefined ? {} : { sourceId: options.sourceId }),
            ...(options.archiveReasonId === undefined ? {} : { archiveReasonId: options.archiveReasonId }),
            ...(options.reviewBeforePush === undefined ? {} : { reviewBeforePush: options.reviewBeforePush }),
            ...(options.retentionDays === undefined ? {} : { auditRetentionDays: options.retentionDays }),
          };
          const updated = await updateClientSettings(services, name, input);
          if (updated.changes.length === 0) out.line('Nothing changed.');
          for (const change of updated.changes) out.line(`${change.field}: ${JSON.stringify(change.from)} -> ${JSON.stringify(change.to)}`);
          printClient(out, updated.client);
          return { result: updated };
        });
      },
    );

  clients
    .command('disconnect')
    .argument('<name>', 'client name or id')
    .description("pause a client's queue; nothing in Ashby or in the console is deleted")
    .action(async (name: string, _options: unknown, command: Command) => {
      await run(command, { engine: false }, async ({ services, out }) => {
        const result = disconnectClient(services, name);
        out.line(`Disconnected ${result.client.name}; ${countOf(result.paused, 'queued item')} paused. Reconnect with \`clients reconnect\`.`);
        return { result };
      });
    });

  clients
    .command('reconnect')
    .argument('<name>', 'client name or id')
    .description('test the key and resume the paused queue')
    .action(async (name: string, _options: unknown, command: Command) => {
      await run(command, { engine: false }, async ({ services, out }) => {
        const result = await reconnectClient(services, name);
        if (result.test.ok) out.line(`${result.client.name}: ${result.client.status} with key "${result.test.keyTitle ?? 'untitled'}".`);
        else out.line(`${result.client.name}: ${result.client.status}. ${result.test.message}`);
        if (result.test.ok) return { result };
        return { result, exitCode: EXIT_FAILURE, error: { code: result.test.keyTitle === null ? 'ashby_auth' : 'ashby_permission', message: result.test.message } };
      });
    });

  clients
    .command('replace-key')
    .argument('<name>', 'client name or id')
    .description('verify a new API key read from stdin and store it in place of the old one')
    .action(async (name: string, _options: unknown, command: Command) => {
      const apiKey = await readApiKey();
      await run(command, { engine: false }, async ({ services, out }) => {
        const result = await replaceKey(services, name, apiKey);
        printChecklist(out, result.verification);
        out.line(`Key replaced for ${result.client.name}.`);
        return { result };
      });
    });

  const lister = (column: string, list: typeof listSources) =>
    async (name: string, _options: unknown, command: Command): Promise<void> => {
      await run(command, { engine: false }, async ({ services, out }) => {
        const items = await list(services, name);
        out.table(['ID', column], items.map((item) => [item.id, item.title]));
        return { result: items };
      });
    };
  clients.command('sources').argument('<name>', 'client name or id').description("list the client's active sources in Ashby").action(lister('SOURCE', listSources));
  clients
    .command('archive-reasons')
    .argument('<name>', 'client name or id')
    .description("list the client's active archive reasons in Ashby")
    .action(lister('ARCHIVE REASON', listArchiveReasons));
  clients
    .command('jobs')
    .argument('<name>', 'client name or id')
    .description("list the client's jobs in Ashby, for `roles link`")
    .action(async (name: string, _options: unknown, command: Command) => {
      await run(command, { engine: false }, async ({ services, out }) => {
        const jobs = await listJobs(services, name);
        out.table(['ID', 'TITLE', 'STATUS'], jobs.map((job) => [job.id, job.title, `${job.status}${job.confidential ? ' (confidential)' : ''}`]));
        return { result: jobs };
      });
    });
}
