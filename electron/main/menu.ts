// The application menu: the platform's usual app, File, Edit, View, Window and Help menus, with
// the console's own items (check for updates, back up data, restore, About).
import { app, dialog, Menu, shell, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  dataDir: string;
  checkForUpdates(): void;
  backUpData(): void;
  restoreData(): void;
}

const isMac = process.platform === 'darwin';

/** Shows the version and data folder, with a button that opens the folder. */
export async function showAbout(window: BrowserWindow | null, dataDir: string): Promise<void> {
  const options = {
    type: 'info' as const,
    title: `About ${app.getName()}`,
    message: `${app.getName()} ${app.getVersion()}`,
    detail: `Data folder: ${dataDir}\nElectron ${process.versions.electron}, Chromium ${process.versions.chrome}, Node ${process.versions.node}`,
    buttons: ['OK', 'Open data folder'],
    defaultId: 0,
    cancelId: 0,
  };
  const { response } = window ? await dialog.showMessageBox(window, options) : await dialog.showMessageBox(options);
  if (response === 1) await shell.openPath(dataDir);
}

export function installApplicationMenu(getWindow: () => BrowserWindow | null, actions: MenuActions): void {
  const about: MenuItemConstructorOptions = {
    label: `About ${app.getName()}`,
    click: () => void showAbout(getWindow(), actions.dataDir),
  };
  const checkForUpdates: MenuItemConstructorOptions = { label: 'Check for Updates…', click: () => actions.checkForUpdates() };

  const template: MenuItemConstructorOptions[] = [
    ...(isMac
      ? [
          {
            role: 'appMenu' as const,
            submenu: [
              about,
              checkForUpdates,
              { type: 'separator' as const },
              { role: 'services' as const },
              { type: 'separator' as const },
              { role: 'hide' as const },
              { role: 'hideOthers' as const },
              { role: 'unhide' as const },
              { type: 'separator' as const },
              { role: 'quit' as const },
            ],
          },
        ]
      : []),
    {
      role: 'fileMenu',
      submenu: [
        { label: 'Back Up Data…', click: () => actions.backUpData() },
        { label: 'Restore Data…', click: () => actions.restoreData() },
        { label: 'Open Data Folder', click: () => void shell.openPath(actions.dataDir) },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [...(isMac ? [] : [about, checkForUpdates])],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
