// Root component: asks the core who it is, then shows the console or the startup error screen.
import { Center, Loader } from '@mantine/core';
import { api } from './api/transport.js';
import { useCall } from './api/use-call.js';
import { StartupError } from './screens/StartupError.js';
import { AppLayout } from './shell/AppLayout.js';
import { DEFAULT_SCREEN_ID } from './screens/index.js';
import { Notifier } from './shell/Notifier.js';
import { ClientsProvider } from './state/clients.js';
import { NavigationProvider } from './state/navigation.js';
import { TasksProvider } from './state/tasks.js';

const loadInfo = () => api.app.info();

export function App() {
  const [info] = useCall(loadInfo);

  if (info.status === 'loading') {
    return (
      <Center mih="100vh">
        <Loader aria-label="Starting the console" />
      </Center>
    );
  }
  if (info.status === 'error') return <StartupError error={info.error} />;
  return (
    <ClientsProvider>
      <TasksProvider>
        <NavigationProvider initialScreenId={DEFAULT_SCREEN_ID}>
          <Notifier />
          <AppLayout info={info.value} />
        </NavigationProvider>
      </TasksProvider>
    </ClientsProvider>
  );
}
