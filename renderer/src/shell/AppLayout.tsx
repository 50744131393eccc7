// The console's frame: a header with the app name, the client switcher and the colour toggle, a
// navigation bar with the screens, and the selected screen.
import { Alert, AppShell, Burger, Group, NavLink, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { AppInfo } from '../../../shared/contract/index.js';
import { OfflineBanner } from '../components/OfflineBanner.js';
import { SCREENS } from '../screens/index.js';
import { useNavigation } from '../state/navigation.js';
import { AboutButton, UpkeepNotices } from '../components/Upkeep.js';
import { ClientSwitcher } from './ClientSwitcher.js';
import { ColorSchemeToggle } from './ColorSchemeToggle.js';

export function AppLayout({ info }: { info: AppInfo }) {
  const [navigationOpened, { toggle: toggleNavigation }] = useDisclosure();
  const { screenId, navigate, visit } = useNavigation();
  const screen = SCREENS.find((candidate) => candidate.id === screenId) ?? SCREENS[0];
  const Screen = screen?.component;

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !navigationOpened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={navigationOpened}
              onClick={toggleNavigation}
              hiddenFrom="sm"
              size="sm"
              aria-label="Toggle navigation"
            />
            <Title order={1} size="h4">
              {info.name}
            </Title>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <ClientSwitcher />
            <AboutButton info={info} />
            <ColorSchemeToggle />
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="xs" aria-label="Screens">
        {SCREENS.map((candidate) => (
          <NavLink
            key={candidate.id}
            component="button"
            label={candidate.label}
            description={
              candidate.component ? candidate.description : `${candidate.description} (coming soon)`
            }
            active={candidate.id === screenId}
            disabled={!candidate.component}
            aria-current={candidate.id === screenId ? 'page' : undefined}
            onClick={() => {
              navigate(candidate.id);
              if (navigationOpened) toggleNavigation();
            }}
          />
        ))}
        <Text size="xs" c="dimmed" mt="auto" p="xs">
          Version {info.version} · {info.transport === 'browser' ? 'browser host' : 'desktop'}
        </Text>
      </AppShell.Navbar>

      <AppShell.Main>
        <UpkeepNotices />
        {info.secretStore.warning && (
          <Alert
            color="yellow"
            title="Keys are not saved"
            mb="md"
            data-testid="secret-store-warning"
          >
            {info.secretStore.warning}
          </Alert>
        )}
        <OfflineBanner />
        {Screen && <Screen key={visit} />}
      </AppShell.Main>
    </AppShell>
  );
}
