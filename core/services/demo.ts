// The demo behind the first-run screen: the built-in sandbox runs in this process, its three demo
// organisations are connected as sandbox clients, and each one's sample pipeline export is imported.
//
// The sandbox saves its records to `demo-sandbox.json` in the data folder. After a restart
// `resumeDemo` starts it again from that file, so what the console pushed before is still there,
// and points the demo clients at it, keeping their Ashby mirror and links. Only the base URL
// changes when the previous port is taken. Without a readable file (a demo started by an older
// version, or a damaged file, which is moved aside) the sandbox starts from its deterministic seed
// (same tenant names, keys, job and stage ids). The mirror of those tenants is then cleared, because
// candidates and applications pushed before the restart no longer exist there.
// NOTE: the sandbox saves a write 200 ms after it. A process killed within those 200 ms loses the
// write from the sandbox, while the console's mirror may already list it.
import { existsSync, renameSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { ImportReport } from '../pipeline/import.js';
import { SandboxStateFileError, startSandbox, type Sandbox } from '../sandbox/index.js';
import { appendAudit } from '../store/repo/audit.js';
import { getClientByName, setSandboxApiKey, updateClientSettings as updateClientRow } from '../store/repo/clients.js';
import { getSetting, setSetting } from '../store/repo/settings.js';
import { addClient, listArchiveReasons, listSources, updateClientSettings } from './clients.js';
import type { Services } from './context.js';
import { importPipeline } from './data.js';
import { requireLocalSandboxUrl } from './sandbox-url.js';

/** Settings key recording that the demo was started, and the sandbox's last port. */
export const DEMO_SETTING = 'demo.sandbox';
/** File in the data folder where the demo sandbox keeps its records between app runs. */
export const DEMO_STATE_FILE = 'demo-sandbox.json';
/** Source the demo clients attribute applications to. */
export const DEMO_SOURCE_TITLE = 'Jack & Jill';
/** Archive reason the demo clients use for the Archive event. */
export const DEMO_ARCHIVE_REASON = 'Not a fit';

const DemoSetting = z.object({ port: z.number().int().nonnegative(), startedAt: z.string() });

/** Folder holding the sample exports, resolved from this file so it works from any working directory. */
export const DEFAULT_SAMPLES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../resources/samples');

export interface DemoClient {
  clientId: number;
  name: string;
  /** The sample import's report; null when no sample exists for the tenant or it was not imported. */
  imported: ImportReport | null;
}

export interface DemoHandle {
  url: string;
  clients: DemoClient[];
  /** Stops the sandbox; also run when the services close. */
  close(): Promise<void>;
}

export interface DemoOptions {
  samplesDir?: string;
  /** Port for the sandbox; 0 (the default) picks a free one. */
  port?: number;
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function sampleFor(samplesDir: string, tenantName: string): string | null {
  for (const extension of ['.json', '.csv']) {
    const file = path.join(samplesDir, `${slug(tenantName)}${extension}`);
    if (existsSync(file)) return file;
  }
  return null;
}

async function listenSandbox(services: Services, port: number, stateFile: string): Promise<Sandbox> {
  try {
    return await startSandbox({ port, seed: 'demo', stateFile, logger: services.logger });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) throw error;
    services.logger.info({ port }, 'the demo sandbox port is taken; using a free port');
    return startSandbox({ port: 0, seed: 'demo', stateFile, logger: services.logger });
  }
}

/** Starts the demo sandbox from its state file; an unreadable file is moved aside and the seed used. */
async function openSandbox(services: Services, port: number): Promise<Sandbox> {
  const stateFile = path.join(services.dataDir, DEMO_STATE_FILE);
  try {
    return await listenSandbox(services, port, stateFile);
  } catch (error) {
    if (!(error instanceof SandboxStateFileError)) throw error;
    const aside = `${stateFile}.unreadable-${services.clock.now()}`;
    renameSync(stateFile, aside);
    services.logger.error({ err: error, movedTo: aside }, 'the demo sandbox state file is unreadable; moved it aside and starting from the seed');
    return listenSandbox(services, port, stateFile);
  }
}

function portOf(url: string): number {
  return Number(new URL(url).port);
}

function register(services: Services, sandbox: Sandbox, clients: DemoClient[]): DemoHandle {
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await sandbox.close();
  };
  services.onClose(close);
  return { url: sandbox.url, clients, close };
}

/**
 * Starts the sandbox, connects its demo organisations as sandbox clients (their keys stay in the
 * database, so no keychain is needed), chooses a source and archive reason for each, and imports
 * each one's sample export. A demo client that already exists is pointed at the new sandbox
 * instead of being added again. A real client with a demo tenant's name is left alone.
 */
export async function startDemo(services: Services, options: DemoOptions = {}): Promise<DemoHandle> {
  const samplesDir = options.samplesDir ?? DEFAULT_SAMPLES_DIR;
  const sandbox = await openSandbox(services, options.port ?? 0);
  const clients: DemoClient[] = [];
  try {
    for (const tenant of sandbox.tenants) {
      const existing = getClientByName(services.db, tenant.name);
      if (existing !== null && !existing.isSandbox) {
        services.logger.warn({ clientId: existing.id, name: tenant.name }, 'a real client has a demo tenant name; not touching it');
        continue;
      }
      let clientId: number;
      if (existing !== null) {
        clientId = existing.id;
        pointAtSandbox(services, clientId, sandbox, tenant.apiKey);
      } else {
        clientId = (await addClient(services, { name: tenant.name, baseUrl: sandbox.url, apiKey: tenant.apiKey, sandbox: true })).client.id;
        await chooseDemoDefaults(services, clientId);
      }
      const sample = sampleFor(samplesDir, tenant.name);
      const imported = sample === null ? null : await importPipeline(services, clientId, sample);
      clients.push({ clientId, name: tenant.name, imported });
    }
  } catch (error) {
    await sandbox.close();
    throw error;
  }
  setSetting(services.db, DEMO_SETTING, { port: portOf(sandbox.url), startedAt: new Date(services.clock.now()).toISOString() });
  services.logger.info({ url: sandbox.url, clients: clients.length }, 'demo started');
  return register(services, sandbox, clients);
}

async function chooseDemoDefaults(services: Services, clientId: number): Promise<void> {
  const sources = await listSources(services, clientId);
  const reasons = await listArchiveReasons(services, clientId);
  const source = sources.find((entry) => entry.title === DEMO_SOURCE_TITLE);
  const reason = reasons.find((entry) => entry.title === DEMO_ARCHIVE_REASON) ?? reasons[0];
  await updateClientSettings(services, clientId, {
    ...(source === undefined ? {} : { sourceId: source.id }),
    ...(reason === undefined ? {} : { archiveReasonId: reason.id }),
  });
}

// Points a demo client at a freshly started sandbox. When the sandbox did not restore its saved
// records, it also clears the mirror of the old sandbox's data.
function pointAtSandbox(services: Services, clientId: number, sandbox: Sandbox, apiKey: string): void {
  const { db, clock } = services;
  const now = new Date(clock.now()).toISOString();
  const url = sandbox.url;
  requireLocalSandboxUrl(url);
  db.transaction(() => {
    updateClientRow(db, clock, clientId, { baseUrl: url });
    setSandboxApiKey(db, clock, clientId, apiKey);
    if (sandbox.restored) {
      appendAudit(db, clock, {
        clientId,
        action: 'demo.sandbox_restarted',
        outcome: 'ok',
        message: `the demo sandbox was started again at ${url} with the records saved in ${DEMO_STATE_FILE}`,
        actor: services.actor,
      });
      return;
    }
    for (const table of ['ashby_identity_keys', 'ashby_applications', 'ashby_candidates', 'ashby_sync_state', 'ashby_job_plans']) {
      db.prepare(`DELETE FROM ${table} WHERE client_id = ?`).run(clientId);
    }
    db.prepare(
      `UPDATE candidates SET ashby_status = 'unknown', ashby_status_reason = NULL, ashby_candidate_id = NULL,
         ashby_application_id = NULL, updated_at = ? WHERE client_id = ?`,
    ).run(now, clientId);
    // Unsent items may remember Ashby ids of the old sandbox; the worker looks them up again.
    db.prepare(
      `UPDATE outbox SET progress = json_remove(progress, '$.ashbyCandidateId', '$.applicationId', '$.createdCandidate',
         '$.applicationDone', '$.resume', '$.pendingWrite'), updated_at = ?
       WHERE client_id = ? AND status NOT IN ('done', 'discarded', 'cancelled')`,
    ).run(now, clientId);
    appendAudit(db, clock, {
      clientId,
      action: 'demo.sandbox_restarted',
      outcome: 'ok',
      message: `the demo sandbox was started again at ${url} from its seed; pushes made before the restart are gone from it`,
      actor: services.actor,
    });
  })();
}

/**
 * Starts the demo sandbox again after an app restart, when a demo was started before and demo
 * clients exist. Tries the previous port first, and starts from the records saved in the data
 * folder. Returns null when there is no demo to resume.
 */
export async function resumeDemo(services: Services): Promise<DemoHandle | null> {
  const setting = getSetting(services.db, DEMO_SETTING, DemoSetting);
  if (setting === null) return null;
  const sandbox = await openSandbox(services, setting.port);
  const clients: DemoClient[] = [];
  for (const tenant of sandbox.tenants) {
    const client = getClientByName(services.db, tenant.name);
    if (client === null || !client.isSandbox) continue;
    pointAtSandbox(services, client.id, sandbox, tenant.apiKey);
    clients.push({ clientId: client.id, name: client.name, imported: null });
  }
  if (clients.length === 0) {
    await sandbox.close();
    return null;
  }
  setSetting(services.db, DEMO_SETTING, { port: portOf(sandbox.url), startedAt: new Date(services.clock.now()).toISOString() });
  services.logger.info({ url: sandbox.url, clients: clients.length }, 'demo sandbox resumed');
  return register(services, sandbox, clients);
}

