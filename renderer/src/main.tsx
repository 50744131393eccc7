// Renderer entry point, the same bundle in Electron and in the browser host.
import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import { createTheme, MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';

const theme = createTheme({ primaryColor: 'indigo' });

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element.');

createRoot(container).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="light">
      {/* Bottom right, so notifications never cover the header's client switcher. */}
      <Notifications position="bottom-right" limit={5} />
      <App />
    </MantineProvider>
  </StrictMode>,
);
