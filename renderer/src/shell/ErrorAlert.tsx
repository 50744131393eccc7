// Shows one contract error: its title, the plain message from the core, and its one action.
import { Alert, Button } from '@mantine/core';
import type { ErrorPayload } from '../../../shared/errors.js';
import { ACTION_LABELS, presentError } from '../errors.js';
import { useOptionalNavigation } from '../state/navigation.js';

export function ErrorAlert({ error, onRetry }: { error: ErrorPayload; onRetry?: () => void }) {
  const shown = presentError(error);
  const navigation = useOptionalNavigation();
  const action = shown.action;

  let button: { label: string; run: () => void } | null = null;
  if (action === 'retry' && onRetry) button = { label: ACTION_LABELS.retry, run: onRetry };
  if (action === 'reload') button = { label: ACTION_LABELS.reload, run: () => window.location.reload() };
  if ((action === 'reconnect' || action === 'open_settings') && navigation) {
    button = { label: ACTION_LABELS[action], run: () => navigation.navigate('settings') };
  }

  return (
    <Alert color="red" title={shown.title} role="alert" data-error-code={error.code}>
      {shown.message}
      {button && (
        <Button mt="sm" size="xs" variant="light" onClick={button.run} display="block">
          {button.label}
        </Button>
      )}
    </Alert>
  );
}
