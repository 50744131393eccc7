import { applicationEndpoints } from './applications.js';
import { candidateEndpoints } from './candidates.js';
import type { EndpointDefinition } from './common.js';
import { fileEndpoints } from './files.js';
import { jobEndpoints } from './jobs.js';
import { organisationEndpoints } from './organisation.js';

/** Every Ashby endpoint the sandbox implements, by name (`candidate.create`). */
export const ENDPOINTS: Readonly<Record<string, EndpointDefinition>> = {
  ...organisationEndpoints,
  ...jobEndpoints,
  ...candidateEndpoints,
  ...fileEndpoints,
  ...applicationEndpoints,
};

export type { ApiContext, EndpointDefinition, RequestBody, UploadedFile } from './common.js';
