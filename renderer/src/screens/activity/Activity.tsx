// The Activity screen: the audit log under a filter (client, role, candidate, event, outcome, date
// range, free text), one keyset page at a time, so the renderer never loads the whole log. Exports
// the current filter as CSV or JSON Lines, and sets a client's retention with an explicit purge.
import {
  Badge,
  Button,
  Card,
  Checkbox,
  CloseButton,
  Group,
  Loader,
  Modal,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ActivityCursor, ActivityFilter, ActivityPage, ExportFormat, Retention, RoleSummary } from '../../../../shared/contract/index.js';
import { LIFECYCLE_EVENTS, type LifecycleEvent } from '../../../../shared/domain.js';
import type { ErrorPayload } from '../../../../shared/errors.js';
import { api } from '../../api/transport.js';
import type { CallState } from '../../api/use-call.js';
import { auditActionLabel, auditOutcomeLabel, EVENT_LABELS } from '../../components/labels.js';
import { ErrorAlert } from '../../shell/ErrorAlert.js';
import { useClients } from '../../state/clients.js';
import { useChanged } from '../../hooks/use-changed.js';
import { plural } from '../../components/plural.js';

const PAGE_SIZE = 50;
/** Lets a badge wrap in a narrow table column instead of cutting its label. */
const WHOLE_LABEL = { root: { height: 'auto', maxWidth: '100%' }, label: { overflow: 'visible', whiteSpace: 'normal' as const } };
const OUTCOME_COLORS: Record<string, string> = { ok: 'green', failed: 'red', skipped: 'gray', waiting: 'yellow', unknown: 'orange' };

interface FilterFields {
  clientId: number | null;
  roleId: number | null;
  candidate: { id: number; name: string } | null;
  event: LifecycleEvent | null;
  outcome: string | null;
  /** Local dates, `YYYY-MM-DD`; the range includes both days. */
  fromDate: string;
  toDate: string;
  text: string;
}

const EMPTY_FIELDS: FilterFields = {
  clientId: null,
  roleId: null,
  candidate: null,
  event: null,
  outcome: null,
  fromDate: '',
  toDate: '',
  text: '',
};

/** Turns the form into the contract's filter; dates are local days, sent as UTC instants. */
export function toActivityFilter(fields: FilterFields): ActivityFilter {
  const filter: ActivityFilter = {};
  if (fields.clientId !== null) filter.clientId = fields.clientId;
  if (fields.roleId !== null) filter.roleId = fields.roleId;
  if (fields.candidate !== null) filter.candidateId = fields.candidate.id;
  if (fields.event !== null) filter.event = fields.event;
  if (fields.outcome !== null) filter.outcome = fields.outcome;
  if (/^\d{4}-\d{2}-\d{2}$/.test(fields.fromDate)) filter.from = new Date(`${fields.fromDate}T00:00:00`).toISOString();
  if (/^\d{4}-\d{2}-\d{2}$/.test(fields.toDate)) {
    const end = new Date(`${fields.toDate}T00:00:00`);
    end.setDate(end.getDate() + 1);
    filter.to = end.toISOString();
  }
  if (fields.text.trim() !== '') filter.text = fields.text.trim();
  return filter;
}

function useDebounced<T>(value: T, ms: number): T {
  const [current, setCurrent] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setCurrent(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return current;
}

export function Activity() {
  const { clients, selectedClientId } = useClients();
  const [fields, setFields] = useState<FilterFields>({ ...EMPTY_FIELDS, clientId: selectedClientId });
  // The header's client switcher sets the client filter too.
  const clientSwitched = useChanged(selectedClientId);
  if (clientSwitched) setFields((current) => ({ ...current, clientId: selectedClientId, roleId: null, candidate: null }));
  const text = useDebounced(fields.text, 300);
  const filter = useMemo(() => toActivityFilter({ ...fields, text }), [fields, text]);
  const filterKey = JSON.stringify(filter);

  // Cursors of the pages before the current one, so Newer goes back without keeping their rows.
  const [cursors, setCursors] = useState<(ActivityCursor | null)[]>([null]);
  const [loaded, setLoaded] = useState<{ request: string; page: CallState<ActivityPage> } | null>(null);
  const [count, setCount] = useState<ActivityPage['count']>(null);
  const [generation, setGeneration] = useState(0);
  const after = cursors[cursors.length - 1] ?? null;

  // A new filter starts again from the newest page.
  const filterChanged = useChanged(filterKey);
  if (filterChanged) setCursors([null]);
  // The page shown belongs to the current request. Until its response arrives the screen is loading.
  const request = JSON.stringify([filterKey, after, generation]);
  const page: CallState<ActivityPage> = loaded?.request === request ? loaded.page : { status: 'loading' };
  useEffect(() => {
    let current = true;
    const first = after === null;
    void api.audit.page({ filter: JSON.parse(filterKey) as ActivityFilter, after, limit: PAGE_SIZE, includeCount: first }).then((result) => {
      if (!current) return;
      setLoaded({ request, page: result.ok ? { status: 'ready', value: result.value } : { status: 'error', error: result.error } });
      if (result.ok && first) setCount(result.value.count);
    });
    return () => {
      current = false;
    };
  }, [filterKey, after, generation, request]);

  const [clientRoles, setRoles] = useState<RoleSummary[]>([]);
  const roles = fields.clientId === null ? [] : clientRoles;
  useEffect(() => {
    if (fields.clientId === null) return;
    let current = true;
    void api.roles.list({ clientId: fields.clientId }).then((result) => current && setRoles(result.ok ? result.value : []));
    return () => {
      current = false;
    };
  }, [fields.clientId]);

  // The Outcome filter offers the outcomes the client's log (or the whole log) contains.
  const [outcomes, setOutcomes] = useState<string[]>([]);
  useEffect(() => {
    let current = true;
    void api.audit.outcomes({ clientId: fields.clientId }).then((result) => current && setOutcomes(result.ok ? result.value : []));
    return () => {
      current = false;
    };
  }, [fields.clientId, generation]);

  const clientList = clients.status === 'ready' ? clients.value : [];
  const set = (patch: Partial<FilterFields>) => setFields((current) => ({ ...current, ...patch }));
  const entries = page.status === 'ready' ? page.value.entries : [];
  const next = page.status === 'ready' ? page.value.nextCursor : null;
  const pageNumber = cursors.length;

  return (
    <Stack data-testid="activity" data-ready={page.status === 'ready' ? 'true' : 'false'} data-rows={entries.length}>
      <Group justify="space-between">
        <Title order={2}>Activity</Title>
        <Button variant="default" onClick={() => setGeneration((value) => value + 1)}>
          Refresh
        </Button>
      </Group>

      <Card withBorder data-testid="activity-filter">
        <Group align="flex-end" gap="sm">
          <Select
            label="Client"
            placeholder="All clients"
            clearable
            w={200}
            data={clientList.map((client) => ({ value: String(client.id), label: client.name }))}
            value={fields.clientId === null ? null : String(fields.clientId)}
            onChange={(value) => set({ clientId: value === null ? null : Number(value), roleId: null, candidate: null })}
          />
          <Select
            label="Role"
            placeholder={fields.clientId === null ? 'Choose a client first' : 'All roles'}
            clearable
            w={200}
            disabled={fields.clientId === null}
            data={roles.map((role) => ({ value: String(role.id), label: role.title }))}
            value={fields.roleId === null ? null : String(fields.roleId)}
            onChange={(value) => set({ roleId: value === null ? null : Number(value) })}
          />
          <Select
            label="Event"
            placeholder="All events"
            clearable
            w={160}
            data={LIFECYCLE_EVENTS.map((event) => ({ value: event, label: EVENT_LABELS[event] }))}
            value={fields.event}
            onChange={(value) => set({ event: value as LifecycleEvent | null })}
          />
          <Select
            label="Outcome"
            placeholder="All outcomes"
            clearable
            w={140}
            data={outcomes.map((outcome) => ({ value: outcome, label: auditOutcomeLabel(outcome) }))}
            value={fields.outcome}
            onChange={(value) => set({ outcome: value })}
          />
          <TextInput label="From" type="date" value={fields.fromDate} onChange={(event) => set({ fromDate: event.currentTarget.value })} />
          <TextInput label="To" type="date" value={fields.toDate} onChange={(event) => set({ toDate: event.currentTarget.value })} />
          <TextInput
            label="Search"
            placeholder="Name, email, message…"
            w={220}
            value={fields.text}
            onChange={(event) => set({ text: event.currentTarget.value })}
          />
          <Button variant="subtle" onClick={() => setFields({ ...EMPTY_FIELDS, clientId: fields.clientId })}>
            Clear
          </Button>
        </Group>
        {fields.candidate && (
          <Group gap={4} mt="xs" data-testid="candidate-filter">
            <Text size="sm">Candidate: {fields.candidate.name}</Text>
            <CloseButton size="sm" aria-label="Show every candidate" onClick={() => set({ candidate: null })} />
          </Group>
        )}
      </Card>

      <ExportPanel filter={filter} />
      {fields.clientId !== null && <RetentionPanel clientId={fields.clientId} onPurged={() => setGeneration((value) => value + 1)} />}

      <Group justify="space-between">
        <Text size="sm" data-testid="activity-count">
          {count === null ? '' : `${count.value}${count.exact ? '' : '+'} ${count.value === 1 && count.exact ? 'entry' : 'entries'} match`}
          {` · page ${pageNumber}`}
        </Text>
        <Group gap="xs">
          <Button size="xs" variant="default" disabled={pageNumber === 1} onClick={() => setCursors((current) => current.slice(0, -1))}>
            Newer
          </Button>
          <Button size="xs" variant="default" disabled={next === null} onClick={() => next && setCursors((current) => [...current, next])}>
            Older
          </Button>
        </Group>
      </Group>

      {page.status === 'loading' && <Loader aria-label="Loading activity" />}
      {page.status === 'error' && <ErrorAlert error={page.error} onRetry={() => setGeneration((value) => value + 1)} />}
      {page.status === 'ready' && entries.length === 0 && <Text data-testid="activity-empty">No activity matches this filter.</Text>}
      {entries.length > 0 && (
        <Table striped withTableBorder aria-label="Activity" data-testid="activity-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>Client</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>Candidate</Table.Th>
              <Table.Th>Action</Table.Th>
              <Table.Th>Outcome</Table.Th>
              <Table.Th>Message</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.map((entry) => (
              <Table.Tr key={entry.id} data-testid="activity-row" data-action={entry.action} data-outcome={entry.outcome}>
                <Table.Td>
                  <Text size="xs" title={entry.at}>
                    {new Date(entry.at).toLocaleString()}
                  </Text>
                </Table.Td>
                <Table.Td>{entry.clientName ?? '—'}</Table.Td>
                <Table.Td>{entry.roleTitle ?? '—'}</Table.Td>
                <Table.Td>
                  {entry.candidateId !== null && entry.candidateName !== null ? (
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      title="Show only this candidate"
                      onClick={() => set({ candidate: { id: entry.candidateId as number, name: entry.candidateName as string } })}
                    >
                      {entry.candidateName}
                    </Button>
                  ) : (
                    '—'
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm" title={entry.action}>
                    {auditActionLabel(entry.action)}
                  </Text>
                  {entry.event && (
                    <Text size="xs" c="dimmed">
                      {EVENT_LABELS[entry.event as LifecycleEvent] ?? entry.event}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" tt="none" styles={WHOLE_LABEL} color={OUTCOME_COLORS[entry.outcome] ?? 'gray'} title={entry.outcome}>
                    {auditOutcomeLabel(entry.outcome)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{entry.message}</Text>
                  <Text size="xs" c="dimmed">
                    by {entry.actor}
                    {entry.ashbyRequestId ? ` · Ashby request ${entry.ashbyRequestId}` : ''}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

function ExportPanel({ filter }: { filter: ActivityFilter }) {
  const [format, setFormat] = useState<ExportFormat>('csv');
  const [redact, setRedact] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const run = async () => {
    setBusy(true);
    setError(null);
    setNotice(null);
    const result = await api.audit.export({ filter, format, redactPii: redact });
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    const outcome = result.value;
    if (outcome.kind === 'saved') setNotice(`Saved ${plural(outcome.rows, 'entry', 'entries')} to ${outcome.file}.`);
    else if (outcome.kind === 'download') {
      // The host streams the file from this one-time link; the browser saves it as a download.
      const link = document.createElement('a');
      link.href = outcome.url;
      link.download = outcome.fileName;
      document.body.append(link);
      link.click();
      link.remove();
      setNotice(`Downloading ${outcome.fileName}.`);
    }
  };

  return (
    <Card withBorder data-testid="activity-export">
      <Group gap="md" align="center">
        <Text fw={500}>Export this filter</Text>
        <SegmentedControl
          value={format}
          onChange={(value) => setFormat(value as ExportFormat)}
          data={[
            { value: 'csv', label: 'CSV' },
            { value: 'jsonl', label: 'JSON Lines' },
          ]}
        />
        <Switch label="Redact personal data" checked={redact} onChange={(event) => setRedact(event.currentTarget.checked)} />
        <Button loading={busy} onClick={() => void run()}>
          Export
        </Button>
      </Group>
      {notice && (
        <Text size="sm" mt="xs" data-testid="export-notice">
          {notice}
        </Text>
      )}
      {error && <ErrorAlert error={error} />}
    </Card>
  );
}

function RetentionPanel({ clientId, onPurged }: { clientId: number; onPurged(): void }) {
  const [retention, setRetention] = useState<Retention | null>(null);
  const [forever, setForever] = useState(true);
  const [days, setDays] = useState<number>(365);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const show = useCallback((value: Retention) => {
    setRetention(value);
    setForever(value.retentionDays === null);
    if (value.retentionDays !== null) setDays(value.retentionDays);
  }, []);
  const refresh = useCallback(() => {
    void api.audit.retention({ clientId }).then((result) => (result.ok ? show(result.value) : setError(result.error)));
  }, [clientId, show]);
  // Another client's notice does not carry over.
  const clientChanged = useChanged(clientId);
  if (clientChanged) setNotice(null);
  useEffect(() => {
    refresh();
  }, [refresh]);

  const save = async () => {
    setBusy(true);
    setError(null);
    const result = await api.audit.setRetention({ clientId, retentionDays: forever ? null : days });
    setBusy(false);
    if (result.ok) {
      show(result.value);
      setNotice(result.value.retentionDays === null ? 'Activity is kept forever.' : `Retention set to ${result.value.retentionDays} days. Nothing is deleted until you purge.`);
    } else setError(result.error);
  };

  const purge = async () => {
    setBusy(true);
    setError(null);
    const result = await api.audit.purge({ clientId });
    setBusy(false);
    setConfirming(false);
    if (result.ok) {
      show(result.value.retention);
      setNotice(`Purged ${plural(result.value.deleted, 'entry', 'entries')}. The purge is recorded in the activity log.`);
      onPurged();
    } else setError(result.error);
  };

  const changed = retention !== null && (forever ? retention.retentionDays !== null : retention.retentionDays !== days);
  return (
    <Card withBorder data-testid="retention" data-retention-days={retention?.retentionDays ?? 'forever'} data-purgeable={retention?.purgeable ?? 0}>
      <Group gap="md" align="flex-end">
        <Text fw={500}>Retention for this client</Text>
        <Checkbox label="Keep forever" checked={forever} onChange={(event) => setForever(event.currentTarget.checked)} />
        <NumberInput
          label="Days kept"
          min={1}
          max={36500}
          w={120}
          disabled={forever}
          value={days}
          onChange={(value) => setDays(typeof value === 'number' ? value : Number(value) || 1)}
        />
        <Button variant="default" disabled={!changed} loading={busy} onClick={() => void save()}>
          Save retention
        </Button>
        <Button
          color="red"
          variant="light"
          disabled={retention === null || retention.retentionDays === null || changed}
          onClick={() => {
            refresh();
            setConfirming(true);
          }}
        >
          Purge now…
        </Button>
      </Group>
      {notice && (
        <Text size="sm" mt="xs" data-testid="retention-notice">
          {notice}
        </Text>
      )}
      {error && <ErrorAlert error={error} />}
      <Modal opened={confirming} onClose={() => setConfirming(false)} title="Purge old activity">
        <Stack>
          <Text size="sm" data-testid="purge-preview">
            {plural(retention?.purgeable ?? 0, 'entry', 'entries')} written before{' '}
            {retention?.cutoff ? new Date(retention.cutoff).toLocaleString() : '—'} will be deleted for good. The purge itself is
            recorded in the activity log.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
            <Button color="red" loading={busy} disabled={(retention?.purgeable ?? 0) === 0} onClick={() => void purge()}>
              Purge {plural(retention?.purgeable ?? 0, 'entry', 'entries')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}
