// Help text the engine attaches to what it does, for the screens and the CLI to show.

/**
 * Shown wherever the console creates an application. Ashby's API reference states that the
 * applicationSubmit webhook fires for candidate submissions and manual adds, not for integration
 * syncs, so automations triggered by it may not run.
 */
export const API_CREATED_APPLICATION_NOTE =
  'Ashby may not fire "application submitted" automations (and the applicationSubmit webhook) for ' +
  'applications the console creates through the API. Check any automation that should run for ' +
  'these candidates, or start it by hand in Ashby.';
