// A candidate whose resume file was rejected at import (empty, missing, unreadable, too large or of
// a type Ashby does not take) is still imported. `resume_problem` keeps the rejection reason, so the
// push creates the candidate and application and records the resume step as failed with it. NULL
// means no problem. A later import with a usable file stores the resume and clears the problem.
export const migration005 = {
  version: 5,
  name: 'candidate-resume-problem',
  sql: `
ALTER TABLE candidates ADD COLUMN resume_problem TEXT;
`,
} as const;
