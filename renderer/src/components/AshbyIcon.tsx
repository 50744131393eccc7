// The Ashby icon of a candidate: purple = linked, grey = not in Ashby, amber = needs attention.
import { ThemeIcon, Tooltip } from '@mantine/core';
import type { AshbyLinkStatus } from '../../../shared/domain.js';
import { ASHBY_STATUS_COLORS, ASHBY_STATUS_LABELS } from './labels.js';

export function AshbyIcon({ status, reason }: { status: AshbyLinkStatus; reason: string | null }) {
  const label = reason ? `${ASHBY_STATUS_LABELS[status]}: ${reason}` : ASHBY_STATUS_LABELS[status];
  return (
    <Tooltip label={label} multiline maw={320} withArrow>
      <ThemeIcon
        size="sm"
        radius="xl"
        color={ASHBY_STATUS_COLORS[status]}
        variant={status === 'linked' || status === 'needs_attention' ? 'filled' : 'light'}
        aria-label={label}
        role="img"
        tabIndex={0}
        data-testid="ashby-icon"
        data-ashby-status={status}
      >
        <span aria-hidden="true" style={{ fontSize: 10, fontWeight: 700 }}>
          {status === 'needs_attention' ? '!' : 'A'}
        </span>
      </ThemeIcon>
    </Tooltip>
  );
}
