// The event → stage mapping a role was linked with. Pushes go to the stored stage, so when an
// admin deletes that stage in Ashby the push is parked for a new choice instead of moving on to
// whichever stage the plan now puts first. JSON object: lifecycle event → {"id", "title"} of the
// Ashby interview stage; an event missing from it is resolved and stored on its first push.
export const migration006 = {
  version: 6,
  name: 'role-stage-mapping',
  sql: `
ALTER TABLE roles ADD COLUMN stage_mapping TEXT NOT NULL DEFAULT '{}';
`,
} as const;
