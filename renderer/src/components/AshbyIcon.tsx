// The Ashby icon of a candidate: purple = linked, grey = not in Ashby, amber = needs attention.
import { ThemeIcon, Tooltip } from '@mantine/core';
import type { AshbyLinkStatus } from '../../../shared/domain.js';
import { ASHBY_STATUS_COLORS, ASHBY_STATUS_LABELS } from './labels.js';

/**
 * Shows the icon. A candidate found in Ashby with no application on the role's job yet is stored
 * as `not_in_ashby` with an Ashby candidate id. The icon shows them purple and outlined, because
 * a push links them rather than creating anyone.
 */
export function AshbyIcon({
  status,
  reason,
  ashbyCandidateId = null,
}: {
  status: AshbyLinkStatus;
  reason: string | null;
  ashbyCandidateId?: string | null;
}) {
  const foundWithoutApplication = status === 'not_in_ashby' && ashbyCandidateId !== null;
  const base = foundWithoutApplication ? ASHBY_STATUS_LABELS.in_ashby_not_on_job : ASHBY_STATUS_LABELS[status];
  const label = reason ? `${base}: ${reason}` : base;
  const color = foundWithoutApplication ? 'violet' : ASHBY_STATUS_COLORS[status];
  let variant = 'light';
  if (status === 'linked' || status === 'needs_attention') variant = 'filled';
  else if (foundWithoutApplication) variant = 'outline';
  return (
    <Tooltip label={label} multiline maw={320} withArrow>
      <ThemeIcon
        size="sm"
        radius="xl"
        color={color}
        variant={variant}
        aria-label={label}
        role="img"
        tabIndex={0}
        data-testid="ashby-icon"
        data-ashby-status={status}
        data-icon-color={color}
      >
        <span aria-hidden="true" style={{ fontSize: 10, fontWeight: 700 }}>
          {status === 'needs_attention' ? '!' : 'A'}
        </span>
      </ThemeIcon>
    </Tooltip>
  );
}
