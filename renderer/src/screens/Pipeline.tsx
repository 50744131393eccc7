// The pipeline of one role: a virtualised table that requests one page at a time from the core, so a
// role of 20,000 candidates scrolls smoothly and is never loaded whole. Search and filters run in
// SQLite. Each row has the five pipeline actions and "Push to Ashby"; a drawer shows its history.
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Drawer,
  Group,
  Loader,
  Menu,
  MultiSelect,
  Select,
  Stack,
  Text,
  TextInput,
  Timeline,
  Title,
  Tooltip,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CandidateRow, ClientSummary, HistoryEntry } from '../../../shared/contract/index.js';
import {
  ASHBY_DISPLAY_STATUSES,
  LIFECYCLE_EVENTS,
  PIPELINE_STATES,
  type AshbyDisplayStatus,
  type LifecycleEvent,
  type PipelineState,
} from '../../../shared/domain.js';
import type { ErrorPayload } from '../../../shared/errors.js';
import { api, subscribe } from '../api/transport.js';
import { useCall } from '../api/use-call.js';
import { AshbyIcon } from '../components/AshbyIcon.js';
import { ClientRequired } from '../components/ClientRequired.js';
import { ASHBY_STATUS_LABELS, AUTOMATIONS_NOTE, EVENT_LABELS, STATE_LABELS } from '../components/labels.js';
import { ErrorAlert } from '../shell/ErrorAlert.js';
import { useNavigation } from '../state/navigation.js';
import { plural } from '../components/plural.js';

/** Rows fetched per request. */
const PAGE_SIZE = 200;
const ROW_HEIGHT = 44;
/** Minimum time between two reloads caused by push events, in milliseconds. */
const REFRESH_MS = 1000;
const GRID = 'minmax(160px, 1.3fr) minmax(180px, 1.5fr) minmax(120px, 1fr) 130px 56px 230px';

export function Pipeline() {
  return <ClientRequired title="Pipeline">{(client) => <RolePipeline key={client.id} client={client} />}</ClientRequired>;
}

function RolePipeline({ client }: { client: ClientSummary }) {
  const { params, navigate } = useNavigation();
  const clientId = client.id;
  const loadRoles = useCallback(() => api.roles.list({ clientId }), [clientId]);
  const [roles] = useCall(loadRoles);
  const roleId = params.roleId ?? (roles.status === 'ready' ? roles.value[0]?.id : undefined);
  const role = roles.status === 'ready' ? roles.value.find((entry) => entry.id === roleId) : undefined;

  if (roles.status === 'loading') return <Loader aria-label="Loading roles" />;
  if (roles.status === 'error') return <ErrorAlert error={roles.error} />;
  if (roles.value.length === 0) {
    return (
      <Stack data-testid="pipeline" data-ready="true">
        <Title order={2}>Pipeline</Title>
        <Text>No roles yet: import the client's pipeline export first.</Text>
        <Group>
          <Button onClick={() => navigate('import')}>Import a pipeline export</Button>
        </Group>
      </Stack>
    );
  }
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={2}>{client.name} · pipeline</Title>
        <Select
          aria-label="Role"
          data={roles.value.map((entry) => ({ value: String(entry.id), label: entry.title }))}
          value={roleId === undefined ? null : String(roleId)}
          onChange={(value) => value && navigate('pipeline', { roleId: Number(value) })}
          allowDeselect={false}
          w={320}
        />
      </Group>
      {role && role.ashbyJobId === null && (
        <Alert color="gray" variant="light">
          This role is not linked to an Ashby job yet, so nobody's presence in Ashby is known. Link it on the Roles screen.
        </Alert>
      )}
      {roleId !== undefined && (
        <CandidateTable key={roleId} clientId={clientId} roleId={roleId} pushBlocked={role?.ashbyJobId === null ? NOT_LINKED_TIP : null} />
      )}
    </Stack>
  );
}

interface Filters {
  search: string;
  states: PipelineState[];
  ashbyStatuses: AshbyDisplayStatus[];
}

const NOT_LINKED_TIP = 'Link this role to an Ashby job on the Roles screen first';

/** `pushBlocked` disables every Push to Ashby button, with the reason as their tooltip. */
function CandidateTable({ clientId, roleId, pushBlocked }: { clientId: number; roleId: number; pushBlocked: string | null }) {
  const [search, setSearch] = useState('');
  const [debouncedSearch] = useDebouncedValue(search, 250);
  const [states, setStates] = useState<PipelineState[]>([]);
  const [ashbyStatuses, setAshbyStatuses] = useState<AshbyDisplayStatus[]>([]);
  const filters: Filters = useMemo(
    () => ({ search: debouncedSearch, states, ashbyStatuses }),
    [debouncedSearch, states, ashbyStatuses],
  );
  const [pages, setPages] = useState<Map<number, CandidateRow[]>>(new Map());
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [generation, setGeneration] = useState(0);
  const requested = useRef(new Set<string>());
  // Bumped when the cache is emptied, so a page requested under an older filter is dropped.
  const cacheVersion = useRef(0);
  const [historyOf, setHistoryOf] = useState<CandidateRow | null>(null);
  const [message, setMessage] = useState<{ text: string; error: ErrorPayload | null } | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);

  // A new filter or a refresh starts from an empty cache.
  useEffect(() => {
    requested.current = new Set();
    cacheVersion.current += 1;
    setPages(new Map());
    setTotal(null);
  }, [filters, generation]);

  const fetchPage = useCallback(
    async (page: number) => {
      const key = `${generation}:${page}`;
      if (requested.current.has(key)) return;
      requested.current.add(key);
      const version = cacheVersion.current;
      const result = await api.pipeline.candidates({
        roleId,
        offset: page * PAGE_SIZE,
        limit: PAGE_SIZE,
        ...(filters.search.trim() === '' ? {} : { search: filters.search }),
        ...(filters.states.length === 0 ? {} : { states: filters.states }),
        ...(filters.ashbyStatuses.length === 0 ? {} : { ashbyStatuses: filters.ashbyStatuses }),
      });
      if (version !== cacheVersion.current) return;
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setError(null);
      setTotal(result.value.total);
      setPages((previous) => new Map(previous).set(page, result.value.items));
    },
    [roleId, filters, generation],
  );

  useEffect(() => {
    void fetchPage(0);
  }, [fetchPage]);

  // Candidates change as pushes finish; refresh at most once per REFRESH_MS.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const schedule = () => {
      timer ??= setTimeout(() => {
        timer = null;
        setGeneration((value) => value + 1);
      }, REFRESH_MS);
    };
    const stopCounts = subscribe('queue:counts', (change) => change.clientId === clientId && schedule());
    const stopTasks = subscribe('task:progress', (progress) => progress.clientId === clientId && progress.state !== 'running' && schedule());
    return () => {
      stopCounts();
      stopTasks();
      if (timer !== null) clearTimeout(timer);
    };
  }, [clientId]);

  const count = total ?? 0;
  // The React Compiler skips this component because useVirtualizer returns functions that must not
  // be memoised; the component re-renders on every scroll as TanStack Virtual expects.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const firstPage = items.length > 0 ? Math.floor((items[0]?.index ?? 0) / PAGE_SIZE) : 0;
  const lastPage = items.length > 0 ? Math.floor((items[items.length - 1]?.index ?? 0) / PAGE_SIZE) : 0;
  useEffect(() => {
    for (let page = firstPage; page <= lastPage; page++) if (!pages.has(page)) void fetchPage(page);
  }, [firstPage, lastPage, pages, fetchPage]);

  const rowAt = (index: number): CandidateRow | undefined => pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];

  const act = async (candidate: CandidateRow, action: LifecycleEvent) => {
    const result = await api.pipeline.act({ clientId, roleId, candidateId: candidate.id, action });
    setMessage(result.ok ? { text: result.value.message, error: null } : { text: '', error: result.error });
    setGeneration((value) => value + 1);
  };
  const pushOne = async (candidate: CandidateRow) => {
    const result = await api.push.candidate({ clientId, roleId, candidateId: candidate.id });
    setMessage(
      result.ok
        ? {
            text:
              result.value.status === 'review'
                ? `Queued a manual push of ${candidate.name}. Review before push is on, so it waits in Review until you approve it; then it will ${result.value.summary}.`
                : `Queued a manual push of ${candidate.name}: ${result.value.summary}.`,
            error: null,
          }
        : { text: '', error: result.error },
    );
  };

  const loaded = total !== null;
  return (
    <Stack gap="sm" data-testid="pipeline" data-ready={loaded ? 'true' : 'false'} data-total={count}>
      <Group align="flex-end" gap="sm">
        <TextInput
          label="Search"
          placeholder="Name or email"
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          w={260}
        />
        <MultiSelect
          label="Pipeline state"
          placeholder={states.length === 0 ? 'Any state' : undefined}
          data={PIPELINE_STATES.map((state) => ({ value: state, label: STATE_LABELS[state] }))}
          value={states}
          onChange={(value) => setStates(value as PipelineState[])}
          clearable
          clearButtonProps={{ 'aria-label': 'Clear the state filter' }}
          w={280}
        />
        <MultiSelect
          label="In Ashby"
          placeholder={ashbyStatuses.length === 0 ? 'Any' : undefined}
          data={ASHBY_DISPLAY_STATUSES.map((status) => ({ value: status, label: ASHBY_STATUS_LABELS[status] }))}
          value={ashbyStatuses}
          onChange={(value) => setAshbyStatuses(value as AshbyDisplayStatus[])}
          clearable
          clearButtonProps={{ 'aria-label': 'Clear the Ashby filter' }}
          w={280}
        />
        <Text size="sm" c="dimmed" aria-live="polite">
          {loaded ? plural(count, 'candidate') : 'Loading…'}
        </Text>
      </Group>
      {error && <ErrorAlert error={error} onRetry={() => setGeneration((value) => value + 1)} />}
      {message?.error && <ErrorAlert error={message.error} />}
      {message && !message.error && (
        <Alert color="teal" role="status" withCloseButton onClose={() => setMessage(null)} data-testid="pipeline-message">
          {message.text}
        </Alert>
      )}

      <div role="table" aria-label="Candidates" aria-rowcount={count + 1}>
        <div role="rowgroup">
          <div role="row" style={{ display: 'grid', gridTemplateColumns: GRID, gap: 8, padding: '6px 8px', fontWeight: 600, fontSize: 13, borderBottom: '1px solid var(--mantine-color-default-border)' }}>
            <span role="columnheader">Name</span>
            <span role="columnheader">Email</span>
            <span role="columnheader">LinkedIn</span>
            <span role="columnheader">State</span>
            <span role="columnheader">Ashby</span>
            <span role="columnheader">Actions</span>
          </div>
        </div>
        <div ref={scrollRef} role="rowgroup" style={{ height: 'calc(100vh - 330px)', minHeight: 260, overflow: 'auto' }} data-testid="pipeline-scroll">
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((item) => {
              const candidate = rowAt(item.index);
              return (
                <div
                  key={item.key}
                  role="row"
                  aria-rowindex={item.index + 2}
                  data-testid={candidate ? 'candidate-row' : 'candidate-row-loading'}
                  data-candidate-name={candidate?.name}
                  data-ashby-status={candidate?.ashbyStatus}
                  data-state={candidate?.state}
                  style={{
                    position: 'absolute',
                    top: 0,
                    left: 0,
                    right: 0,
                    height: ROW_HEIGHT,
                    transform: `translateY(${item.start}px)`,
                    display: 'grid',
                    gridTemplateColumns: GRID,
                    gap: 8,
                    alignItems: 'center',
                    padding: '0 8px',
                    fontSize: 14,
                    borderBottom: '1px solid var(--mantine-color-default-border)',
                  }}
                >
                  {candidate ? (
                    <CandidateCells candidate={candidate} onHistory={setHistoryOf} onAct={act} onPush={pushOne} pushBlocked={pushBlocked} />
                  ) : (
                    <span role="cell" style={{ color: 'var(--mantine-color-dimmed)' }}>
                      Loading…
                    </span>
                  )}
                </div>
              );
            })}
          </div>
        </div>
      </div>
      <Text size="xs" c="dimmed">
        {AUTOMATIONS_NOTE}
      </Text>
      <HistoryDrawer candidate={historyOf} onClose={() => setHistoryOf(null)} />
    </Stack>
  );
}

function CandidateCells(props: {
  candidate: CandidateRow;
  onHistory(candidate: CandidateRow): void;
  onAct(candidate: CandidateRow, action: LifecycleEvent): void;
  onPush(candidate: CandidateRow): void;
  pushBlocked: string | null;
}) {
  const { candidate } = props;
  const ellipsis = { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' } as const;
  return (
    <>
      <span role="cell" style={ellipsis}>
        <Anchor component="button" size="sm" onClick={() => props.onHistory(candidate)} aria-label={`Sync history of ${candidate.name}`}>
          {candidate.name}
        </Anchor>
      </span>
      <span role="cell" style={ellipsis}>
        {candidate.email ?? '—'}
      </span>
      <span role="cell" style={ellipsis}>
        {candidate.linkedinUrl ? (
          <Anchor href={candidate.linkedinUrl} target="_blank" rel="noreferrer" size="sm">
            {candidate.linkedinUrl.replace(/^https?:\/\/(www\.)?linkedin\.com/, '')}
          </Anchor>
        ) : (
          '—'
        )}
      </span>
      <span role="cell">
        <Badge variant="light" size="sm">
          {STATE_LABELS[candidate.state]}
        </Badge>
      </span>
      <span role="cell">
        <AshbyIcon status={candidate.ashbyStatus} reason={candidate.ashbyStatusReason} ashbyCandidateId={candidate.ashbyCandidateId} />
      </span>
      <span role="cell">
        <Group gap={4} wrap="nowrap">
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <Button size="compact-xs" variant="default" aria-label={`Pipeline actions for ${candidate.name}`}>
                Actions
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              {LIFECYCLE_EVENTS.map((event) => (
                <Menu.Item key={event} onClick={() => props.onAct(candidate, event)} disabled={STATE_FOR[event] === candidate.state}>
                  {EVENT_LABELS[event]}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
          <Tooltip label={props.pushBlocked} disabled={props.pushBlocked === null}>
            {/* A disabled button fires no pointer events, so the wrapper shows the tooltip. */}
            <span>
              <Button
                size="compact-xs"
                variant="light"
                color="violet"
                disabled={props.pushBlocked !== null}
                onClick={() => props.onPush(candidate)}
                aria-label={`Push ${candidate.name} to Ashby`}
                title={props.pushBlocked ?? undefined}
              >
                Push to Ashby
              </Button>
            </span>
          </Tooltip>
        </Group>
      </span>
    </>
  );
}

const STATE_FOR: Record<LifecycleEvent, PipelineState> = {
  shortlist: 'shortlisted',
  request_intro: 'intro_requested',
  complete_intro: 'intro_completed',
  archive: 'archived',
  hire: 'hired',
};

const OUTCOME_COLORS: Record<string, string> = { ok: 'teal', skipped: 'gray' };

function HistoryDrawer({ candidate, onClose }: { candidate: CandidateRow | null; onClose(): void }) {
  return (
    <Drawer opened={candidate !== null} onClose={onClose} position="right" size="lg" title={candidate ? `${candidate.name} · sync history` : ''}>
      {candidate && <History candidateId={candidate.id} />}
    </Drawer>
  );
}

/** The candidate's pushes that need attention or failed, each with a Retry button. */
function StoppedPushes({ candidateId, onRetried }: { candidateId: number; onRetried(): void }) {
  const load = useCallback(() => api.pipeline.stoppedPushes({ candidateId }), [candidateId]);
  const [stopped, reload] = useCall(load);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  if (stopped.status !== 'ready' || (stopped.value.length === 0 && notice === null && error === null)) return null;

  const retry = async (id: number) => {
    setBusy(true);
    setError(null);
    const result = await api.review.retry({ ids: [id] });
    setBusy(false);
    if (result.ok) {
      const outcome = result.value.outcomes[0];
      setNotice(
        outcome === undefined
          ? 'Nothing was retried: the push is no longer stopped.'
          : outcome.status === 'done'
            ? 'Retried: the push was sent to Ashby.'
            : outcome.status === 'needs_attention' || outcome.status === 'failed'
              ? `Retried, but it still needs attention${outcome.reason ? `: ${outcome.reason}` : ''}.`
              : 'Retried: the push is queued.',
      );
    } else {
      setError(result.error);
    }
    reload();
    onRetried();
  };

  return (
    <Stack gap="xs" mb="md" data-testid="stopped-pushes">
      {stopped.value.map((push) => (
        <Alert key={push.id} color="red" variant="light" title={`${EVENT_LABELS[push.event]} push ${push.status === 'failed' ? 'failed' : 'needs attention'}`}>
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <Text size="sm">{push.reason ?? 'No reason was recorded.'}</Text>
            <Button size="compact-xs" variant="light" loading={busy} onClick={() => void retry(push.id)} aria-label={`Retry the ${EVENT_LABELS[push.event]} push`}>
              Retry
            </Button>
          </Group>
        </Alert>
      ))}
      {notice && (
        <Text size="sm" role="status" data-testid="stopped-pushes-notice">
          {notice}
        </Text>
      )}
      {error && <ErrorAlert error={error} />}
    </Stack>
  );
}

function History({ candidateId }: { candidateId: number }) {
  const load = useCallback(() => api.pipeline.history({ candidateId }), [candidateId]);
  const [history, reload] = useCall(load);
  if (history.status === 'loading') return <Loader aria-label="Loading history" />;
  if (history.status === 'error') return <ErrorAlert error={history.error} onRetry={reload} />;
  return (
    <>
      <StoppedPushes candidateId={candidateId} onRetried={reload} />
      {history.value.length === 0 ? <Text>No sync history yet.</Text> : <HistoryTimeline entries={history.value} />}
    </>
  );
}

function HistoryTimeline({ entries }: { entries: HistoryEntry[] }) {
  return (
    <Timeline bulletSize={14} lineWidth={2} data-testid="candidate-history" data-ready="true">
      {entries.map((entry) => (
        <Timeline.Item
          key={entry.id}
          color={OUTCOME_COLORS[entry.outcome] ?? 'red'}
          title={`${entry.action}${entry.event ? ` · ${EVENT_LABELS[entry.event as LifecycleEvent] ?? entry.event}` : ''} · ${entry.outcome}`}
        >
          <Text size="sm">{entry.message}</Text>
          <Text size="xs" c="dimmed">
            {new Date(entry.at).toLocaleString()} · {entry.actor}
            {entry.ashbyApplicationId ? ` · application ${entry.ashbyApplicationId}` : ''}
          </Text>
        </Timeline.Item>
      ))}
    </Timeline>
  );
}
