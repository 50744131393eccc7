// The screens listed in the navigation bar, in order. A screen with no component yet is shown
// disabled. To add one, write `renderer/src/screens/<Name>.tsx` and add (or fill in) one line here.
import type { ComponentType } from 'react';
import { ClientSettings } from './ClientSettings.js';
import { ConnectClient } from './ConnectClient.js';
import { Dashboard } from './Dashboard.js';
import { Import } from './Import.js';
import { Pipeline } from './Pipeline.js';
import { Roles } from './Roles.js';
import { Tasks } from './Tasks.js';
import { Review } from './review/Review.js';
import { Activity } from './activity/Activity.js';

export interface ScreenDefinition {
  id: string;
  label: string;
  /** One line shown under the label in the navigation bar. */
  description: string;
  component: ComponentType | null;
}

export const SCREENS: readonly ScreenDefinition[] = [
  { id: 'dashboard', label: 'Dashboard', description: 'Every client at a glance', component: Dashboard },
  { id: 'roles', label: 'Roles', description: 'Link roles to Ashby jobs and push', component: Roles },
  { id: 'pipeline', label: 'Pipeline', description: 'Candidates of a role', component: Pipeline },
  { id: 'tasks', label: 'Tasks', description: 'Bulk pushes and link resolutions', component: Tasks },
  { id: 'import', label: 'Import', description: 'Bring in a pipeline export', component: Import },
  { id: 'review', label: 'Review queue', description: 'Pushes waiting for approval', component: Review },
  { id: 'activity', label: 'Activity', description: 'Audit log of every decision', component: Activity },
  { id: 'settings', label: 'Client settings', description: 'Connection, events and source', component: ClientSettings },
  { id: 'connect', label: 'Connect a client', description: 'Add an Ashby tenant', component: ConnectClient },
];

export const DEFAULT_SCREEN_ID = 'dashboard';
