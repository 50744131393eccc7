// The screens listed in the navigation bar. A screen with no component yet is shown disabled;
// to add one, write `renderer/src/screens/<Name>.tsx` and set its `component` here.
import type { ComponentType } from 'react';
import { Dashboard } from './Dashboard.js';

export interface ScreenDefinition {
  id: string;
  label: string;
  /** One line shown under the label in the navigation bar. */
  description: string;
  component: ComponentType | null;
}

export const SCREENS: readonly ScreenDefinition[] = [
  {
    id: 'dashboard',
    label: 'Dashboard',
    description: 'Every client at a glance',
    component: Dashboard,
  },
  { id: 'pipeline', label: 'Pipeline', description: 'Roles and candidates', component: null },
  {
    id: 'review',
    label: 'Review queue',
    description: 'Pushes waiting for approval',
    component: null,
  },
  { id: 'tasks', label: 'Tasks', description: 'Bulk pushes and imports', component: null },
  {
    id: 'audit',
    label: 'Audit log',
    description: 'Every decision and Ashby write',
    component: null,
  },
  {
    id: 'settings',
    label: 'Client settings',
    description: 'Connection, events and source',
    component: null,
  },
];

export const DEFAULT_SCREEN_ID = 'dashboard';
