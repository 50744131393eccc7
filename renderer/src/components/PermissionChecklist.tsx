// The permissions a key needs for each enabled event, ticked or missing, with what to do in Ashby.
import { Alert, List, Text, ThemeIcon } from '@mantine/core';
import type { KeyVerification } from '../../../shared/contract/index.js';
import { EVENT_LABELS } from './labels.js';

/** Lists the missing permissions per event, naming events by their display names. */
function describeMissing(verification: KeyVerification): string {
  const lines = verification.missingByEvent.map((entry) => `${EVENT_LABELS[entry.event]} needs ${entry.missing.join(', ')}`);
  return `The key lacks permissions: ${lines.join('; ')}. Reads still work.`;
}

/**
 * `eventsHint` tells the admin where to turn off the events that need the missing permissions;
 * it depends on whether the client exists yet.
 */
export function PermissionChecklist({ verification, eventsHint }: { verification: KeyVerification; eventsHint: string }) {
  const missingPermissions = !verification.ok && verification.problem === 'missing_permissions' && verification.missingByEvent.length > 0;
  return (
    <div data-testid="permission-checklist" data-ok={verification.ok ? 'true' : 'false'}>
      <Alert
        color={verification.ok ? 'teal' : 'red'}
        title={verification.ok ? 'The key works' : 'The key cannot be used yet'}
        mb="sm"
        role={verification.ok ? 'status' : 'alert'}
        data-problem={verification.problem ?? 'none'}
      >
        {missingPermissions ? describeMissing(verification) : verification.message}
      </Alert>
      {verification.checklist.length > 0 && (
        <List spacing={4} size="sm" aria-label="Permissions the enabled events need">
          {verification.checklist.map((line) => {
            const who = line.event === 'connection_check' ? 'Connection check' : EVENT_LABELS[line.event];
            return (
              <List.Item
                key={`${line.event}-${line.permission}`}
                data-permission={line.permission}
                data-granted={line.granted ? 'true' : 'false'}
                icon={
                  <ThemeIcon size={18} radius="xl" color={line.granted ? 'teal' : 'red'} aria-hidden="true">
                    <span style={{ fontSize: 11 }}>{line.granted ? '✓' : '✕'}</span>
                  </ThemeIcon>
                }
              >
                <Text span size="sm">
                  {who}: <strong>{line.permission}</strong> — {line.granted ? 'granted' : 'missing'}
                </Text>
              </List.Item>
            );
          })}
        </List>
      )}
      {!verification.ok && verification.problem === 'missing_permissions' && (
        <Text size="sm" mt="sm" data-testid="permission-fix">
          In Ashby, open Admin → API keys, edit this key and grant the missing permissions, then
          verify again. {eventsHint}
        </Text>
      )}
    </div>
  );
}
