// The Review screen: every open push grouped by client and role, with what it will do in Ashby,
// why it waits and since when. The admin approves one, a selection or all, discards with a reason,
// or corrects an email or LinkedIn URL first. Everything comes from local data, so it works offline.
import { Badge, Button, Checkbox, Group, Loader, Modal, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ReviewDecision, ReviewItem, SendDecision, WaitReason } from '../../../../shared/contract/index.js';
import type { ErrorPayload } from '../../../../shared/errors.js';
import type { Result } from '../../../../shared/result.js';
import { api, subscribe } from '../../api/transport.js';
import { useCall } from '../../api/use-call.js';
import { EVENT_LABELS } from '../../components/labels.js';
import { plural } from '../../components/plural.js';
import { ErrorAlert } from '../../shell/ErrorAlert.js';
import { useClients } from '../../state/clients.js';
import { useChanged } from '../../hooks/use-changed.js';

export const WAIT_REASON_LABELS: Record<WaitReason, string> = {
  offline: 'Offline',
  review_before_push: 'Review before push',
  possible_duplicate: 'Possible duplicate',
  archived_in_ashby: 'Archived in Ashby',
  needs_attention: 'Needs attention',
  disconnected: 'Client disconnected',
  queued: 'Queued',
};

const WAIT_REASON_COLORS: Record<WaitReason, string> = {
  offline: 'orange',
  review_before_push: 'blue',
  possible_duplicate: 'grape',
  archived_in_ashby: 'yellow',
  needs_attention: 'red',
  disconnected: 'red',
  queued: 'gray',
};

/** Lets a badge wrap in a narrow table column instead of cutting its label. */
const WHOLE_LABEL = { root: { height: 'auto', maxWidth: '100%' }, label: { overflow: 'visible', whiteSpace: 'normal' as const } };

const DISCARDABLE = new Set(['review', 'pending', 'paused', 'needs_attention', 'failed']);
const RETRYABLE = new Set(['needs_attention', 'failed']);

interface RoleGroup {
  key: string;
  clientName: string;
  roleTitle: string;
  items: ReviewItem[];
}

function groupByClientAndRole(items: readonly ReviewItem[]): RoleGroup[] {
  const groups = new Map<string, RoleGroup>();
  for (const item of items) {
    const key = `${item.clientId}:${item.roleId}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { key, clientName: item.clientName, roleTitle: item.roleTitle, items: [] };
      groups.set(key, group);
    }
    group.items.push(item);
  }
  return [...groups.values()].sort(
    (a, b) => a.clientName.localeCompare(b.clientName) || a.roleTitle.localeCompare(b.roleTitle),
  );
}

function describeDecision(verb: string, decision: ReviewDecision | SendDecision): string {
  const skipped = decision.skipped.length === 0 ? '' : `; ${decision.skipped.length} left as they were (${decision.skipped[0]?.reason ?? ''})`;
  const outcome = 'outcomes' in decision ? describeOutcomes(decision) : '';
  return `${verb} ${plural(decision.changed.length, 'push', 'pushes')}${outcome}${skipped}.`;
}

/** Says what happened to approved or retried pushes, so a push that failed at once is not reported as a success. */
function describeOutcomes(decision: SendDecision): string {
  const { outcomes } = decision;
  if (outcomes.length === 0) return '';
  const stuck = outcomes.filter((outcome) => RETRYABLE.has(outcome.status) || outcome.status === 'review');
  const sent = outcomes.filter((outcome) => outcome.status === 'done').length;
  const waiting = outcomes.filter((outcome) => outcome.status === 'pending' || outcome.status === 'running').length;
  if (outcomes.length === 1) {
    const only = outcomes[0]!;
    if (only.status === 'done') return '; it was sent to Ashby';
    if (stuck.length === 1) return `; it ${only.status === 'review' ? 'waits for review again' : 'needs attention'}${only.reason ? `: ${only.reason}` : ''}`;
    if (waiting === 1) return '; it is still being sent';
    return `; it is ${only.status.replace('_', ' ')}`;
  }
  const parts: string[] = [];
  if (sent > 0) parts.push(`${sent} sent to Ashby`);
  if (stuck.length > 0) parts.push(`${stuck.length} need attention (${stuck[0]?.candidateName}: ${stuck[0]?.reason ?? 'see the list'})`);
  if (waiting > 0) parts.push(`${waiting} still being sent`);
  return parts.length === 0 ? '' : `; ${parts.join(', ')}`;
}

export function Review() {
  const { selectedClientId } = useClients();
  const load = useCallback(() => api.review.list({ clientId: selectedClientId }), [selectedClientId]);
  const [list, reload] = useCall(load);
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [discarding, setDiscarding] = useState<number[] | null>(null);
  const [editing, setEditing] = useState<ReviewItem | null>(null);

  // The queue changes under the screen as the engine works. Count updates are coalesced into one
  // reload a second, because each reload works out the planned effect of every listed item.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = subscribe('queue:counts', () => {
      if (timer === undefined) timer = setTimeout(() => ((timer = undefined), reload()), 1000);
    });
    const stopStatus = subscribe('client:status', () => reload());
    return () => {
      stop();
      stopStatus();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [reload]);

  const items = useMemo(() => (list.status === 'ready' ? list.value.items : []), [list]);
  const groups = useMemo(() => groupByClientAndRole(items), [items]);
  // Selections of items that left the queue are dropped.
  const selectedItems = items.filter((item) => selected.has(item.id));
  const approvableSelected = selectedItems.filter((item) => item.approvable).map((item) => item.id);
  const discardableSelected = selectedItems.filter((item) => DISCARDABLE.has(item.status)).map((item) => item.id);
  const retryableSelected = selectedItems.filter((item) => RETRYABLE.has(item.status)).map((item) => item.id);
  const inReview = items.filter((item) => item.approvable);

  const act = async (call: () => Promise<Result<ReviewDecision | SendDecision>>, verb: string) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    const result = await call();
    setBusy(false);
    if (result.ok) {
      setNotice(describeDecision(verb, result.value));
      setSelected(new Set());
    } else {
      setError(result.error);
    }
    reload();
  };

  const approveAll = async () => {
    const clientIds = [...new Set(inReview.map((item) => item.clientId))];
    setBusy(true);
    setError(null);
    const changed: number[] = [];
    const skipped: SendDecision['skipped'] = [];
    const outcomes: SendDecision['outcomes'] = [];
    for (const clientId of clientIds) {
      const result = await api.review.approve({ allOfClient: clientId });
      if (!result.ok) {
        setError(result.error);
        break;
      }
      changed.push(...result.value.changed);
      skipped.push(...result.value.skipped);
      outcomes.push(...result.value.outcomes);
    }
    setBusy(false);
    setNotice(describeDecision('Approved', { changed, skipped, outcomes }));
    setSelected(new Set());
    reload();
  };

  const toggle = (ids: readonly number[], on: boolean) => {
    setSelected((current) => {
      const next = new Set(current);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });
  };

  const ready = list.status === 'ready';
  return (
    <Stack data-testid="review" data-ready={ready ? 'true' : 'false'} data-count={items.length}>
      <Group justify="space-between">
        <Group gap="sm">
          <Title order={2}>Review queue</Title>
          {ready && list.value.offlineClientIds.length > 0 && (
            <Badge color="orange" variant="filled" data-testid="review-offline">
              Offline: {plural(list.value.offlineClientIds.length, 'client')}
            </Badge>
          )}
        </Group>
        <Button variant="default" onClick={reload}>
          Refresh
        </Button>
      </Group>
      <Text size="sm" c="dimmed">
        Pushes that wait before they reach Ashby. What each will do is worked out from the console&apos;s own copy of
        Ashby, so it is a preview, and it is available with no connection.
      </Text>

      <Group gap="xs" data-testid="review-toolbar">
        <Text size="sm">{selectedItems.length} selected</Text>
        <Button
          size="xs"
          disabled={approvableSelected.length === 0}
          loading={busy}
          onClick={() => void act(() => api.review.approve({ ids: approvableSelected }), 'Approved')}
        >
          Approve selected
        </Button>
        <Button
          size="xs"
          variant="light"
          disabled={retryableSelected.length === 0}
          loading={busy}
          onClick={() => void act(() => api.review.retry({ ids: retryableSelected }), 'Retried')}
        >
          Retry selected
        </Button>
        <Button size="xs" color="red" variant="light" disabled={discardableSelected.length === 0 || busy} onClick={() => setDiscarding(discardableSelected)}>
          Discard selected…
        </Button>
        <Button size="xs" variant="light" disabled={inReview.length === 0} loading={busy} onClick={() => void approveAll()}>
          Approve all in review ({inReview.length})
        </Button>
      </Group>
      {notice && (
        <Text size="sm" data-testid="review-notice" role="status">
          {notice}
        </Text>
      )}
      {error && <ErrorAlert error={error} />}

      {list.status === 'loading' && <Loader aria-label="Loading the review queue" />}
      {list.status === 'error' && <ErrorAlert error={list.error} onRetry={reload} />}
      {ready && items.length === 0 && <Text data-testid="review-empty">Nothing waits: every push has been sent or decided.</Text>}
      {ready && list.value.truncated && (
        <Text size="sm" c="dimmed">
          Showing the oldest {plural(items.length, 'push', 'pushes')}; decide on these to see the rest.
        </Text>
      )}

      {groups.map((group) => {
        const ids = group.items.map((item) => item.id);
        const all = ids.every((id) => selected.has(id));
        const some = !all && ids.some((id) => selected.has(id));
        return (
          <Stack key={group.key} gap="xs" data-testid="review-group" data-group={`${group.clientName} · ${group.roleTitle}`}>
            <Group gap="sm">
              <Checkbox
                aria-label={`Select every push of ${group.roleTitle} (${group.clientName})`}
                checked={all}
                indeterminate={some}
                onChange={(event) => toggle(ids, event.currentTarget.checked)}
              />
              <Title order={3} size="h5">
                {group.clientName} · {group.roleTitle}
              </Title>
              <Badge variant="light" color="gray">
                {group.items.length}
              </Badge>
            </Group>
            <Table striped withTableBorder aria-label={`Pushes of ${group.roleTitle}`}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={36} />
                  <Table.Th>Candidate</Table.Th>
                  <Table.Th>Event</Table.Th>
                  <Table.Th>What will happen in Ashby</Table.Th>
                  <Table.Th>Why it waits</Table.Th>
                  <Table.Th>Queued</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {group.items.map((item) => (
                  <ReviewRow
                    key={item.id}
                    item={item}
                    selected={selected.has(item.id)}
                    busy={busy}
                    onToggle={(on) => toggle([item.id], on)}
                    onApprove={() => void act(() => api.review.approve({ ids: [item.id] }), 'Approved')}
                    onRetry={() => void act(() => api.review.retry({ ids: [item.id] }), 'Retried')}
                    onDiscard={() => setDiscarding([item.id])}
                    onEdit={() => setEditing(item)}
                  />
                ))}
              </Table.Tbody>
            </Table>
          </Stack>
        );
      })}

      <DiscardDialog
        ids={discarding}
        onClose={() => setDiscarding(null)}
        onDiscard={(ids, reason) => {
          setDiscarding(null);
          void act(() => api.review.discard({ ids, reason }), 'Discarded');
        }}
      />
      <EditIdentityDialog
        item={editing}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          reload();
        }}
      />
    </Stack>
  );
}

function ReviewRow({
  item,
  selected,
  busy,
  onToggle,
  onApprove,
  onRetry,
  onDiscard,
  onEdit,
}: {
  item: ReviewItem;
  selected: boolean;
  busy: boolean;
  onToggle(on: boolean): void;
  onApprove(): void;
  onRetry(): void;
  onDiscard(): void;
  onEdit(): void;
}) {
  return (
    <Table.Tr data-testid="review-item" data-item-id={item.id} data-wait-reason={item.waitReason} data-effect-kind={item.effect.kind}>
      <Table.Td>
        <Checkbox aria-label={`Select ${item.candidateName}`} checked={selected} onChange={(event) => onToggle(event.currentTarget.checked)} />
      </Table.Td>
      <Table.Td>
        <Text size="sm" fw={500}>
          {item.candidateName}
        </Text>
        <Text size="xs" c="dimmed">
          {item.email ?? 'no email'} · {item.linkedinUrl ?? 'no LinkedIn'}
        </Text>
      </Table.Td>
      <Table.Td>{EVENT_LABELS[item.event]}</Table.Td>
      <Table.Td>
        <Text size="sm" data-testid="planned-effect">
          {item.effect.summary}
        </Text>
        {item.effect.notes.map((note) => (
          <Text key={note} size="xs" c="dimmed">
            {note}
          </Text>
        ))}
      </Table.Td>
      <Table.Td>
        <Badge color={WAIT_REASON_COLORS[item.waitReason]} variant="light" tt="none" styles={WHOLE_LABEL} data-testid="wait-reason">
          {WAIT_REASON_LABELS[item.waitReason]}
        </Badge>
        {item.reason && (
          <Text size="xs" c="dimmed">
            {item.reason}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="xs" title={item.queuedAt}>
          {new Date(item.queuedAt).toLocaleString()}
        </Text>
        {item.nextAttemptAt && item.attempts > 0 && (
          <Text size="xs" c="dimmed" data-testid="next-attempt">
            {plural(item.attempts, 'try', 'tries')}, next at {new Date(item.nextAttemptAt).toLocaleTimeString()}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap">
          {item.approvable && (
            <Button size="compact-xs" disabled={busy} onClick={onApprove} aria-label={`Approve ${item.candidateName}`}>
              Approve
            </Button>
          )}
          {RETRYABLE.has(item.status) && (
            <Button size="compact-xs" variant="light" disabled={busy} onClick={onRetry} aria-label={`Retry ${item.candidateName}`}>
              Retry
            </Button>
          )}
          {DISCARDABLE.has(item.status) && (
            <Button size="compact-xs" color="red" variant="subtle" disabled={busy} onClick={onDiscard} aria-label={`Discard ${item.candidateName}`}>
              Discard
            </Button>
          )}
          <Button size="compact-xs" variant="subtle" onClick={onEdit} aria-label={`Edit ${item.candidateName}`}>
            Edit
          </Button>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

function DiscardDialog({
  ids,
  onClose,
  onDiscard,
}: {
  ids: number[] | null;
  onClose(): void;
  onDiscard(ids: number[], reason: string): void;
}) {
  const [reason, setReason] = useState('');
  // Each new selection starts with an empty reason.
  const selectionChanged = useChanged(ids);
  if (selectionChanged) setReason('');
  const count = ids?.length ?? 0;
  return (
    <Modal opened={ids !== null} onClose={onClose} title={`Discard ${plural(count, 'push', 'pushes')}`}>
      <Stack>
        <Text size="sm">Discarded pushes are never sent. The activity log keeps them with your reason.</Text>
        <Textarea
          label="Reason"
          required
          data-autofocus
          value={reason}
          onChange={(event) => setReason(event.currentTarget.value)}
          placeholder="For example: the client already rejected this candidate"
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Keep
          </Button>
          <Button color="red" disabled={reason.trim() === ''} onClick={() => ids && onDiscard(ids, reason.trim())}>
            Discard
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function EditIdentityDialog({ item, onClose, onSaved }: { item: ReviewItem | null; onClose(): void; onSaved(): void }) {
  const [email, setEmail] = useState(item?.email ?? '');
  const [linkedin, setLinkedin] = useState(item?.linkedinUrl ?? '');
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [saving, setSaving] = useState(false);
  // Opening the dialog for another item shows that item's values.
  const itemChanged = useChanged(item);
  if (itemChanged) {
    setEmail(item?.email ?? '');
    setLinkedin(item?.linkedinUrl ?? '');
    setError(null);
  }

  const save = async () => {
    if (item === null) return;
    setSaving(true);
    const result = await api.review.editCandidate({
      candidateId: item.candidateId,
      email: email.trim() === '' ? null : email,
      linkedinUrl: linkedin.trim() === '' ? null : linkedin,
    });
    setSaving(false);
    if (result.ok) onSaved();
    else setError(result.error);
  };

  return (
    <Modal opened={item !== null} onClose={onClose} title={`Edit ${item?.candidateName ?? ''}`}>
      <Stack>
        <Text size="sm">The push matches Ashby candidates by email first, then LinkedIn. Correct them before approving.</Text>
        <TextInput label="Email" value={email} onChange={(event) => setEmail(event.currentTarget.value)} />
        <TextInput label="LinkedIn URL" value={linkedin} onChange={(event) => setLinkedin(event.currentTarget.value)} />
        {error && <ErrorAlert error={error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button loading={saving} onClick={() => void save()}>
            Save
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
