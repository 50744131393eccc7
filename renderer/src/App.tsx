// Root component: asks the core who it is, then shows the console or the startup error screen.
import { Center, Loader } from '@mantine/core';
import { api } from './api/transport.js';
import { useCall } from './api/use-call.js';
import { StartupError } from './screens/StartupError.js';
import { AppLayout } from './shell/AppLayout.js';
import { ClientsProvider } from './state/clients.js';

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
      <AppLayout info={info.value} />
    </ClientsProvider>
  );
}
