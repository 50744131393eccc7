import { describe, expect, it } from 'vitest';
import {
  checkPermissions,
  permissionForEndpoint,
  permissionToScope,
  scopeToPermission,
} from '../../../core/ashby/permissions.js';

describe('scopeToPermission', () => {
  it('maps both scope forms', () => {
    expect(scopeToPermission('candidates:write')).toBe('candidatesWrite');
    expect(scopeToPermission('hiringProcessMetadata:read')).toBe('hiringProcessMetadataRead');
    expect(scopeToPermission('apiKeys:read')).toBe('apiKeysRead');
    expect(scopeToPermission('candidatesWrite')).toBe('candidatesWrite');
    expect(scopeToPermission('JOBS:READ')).toBe('jobsRead');
  });

  it('returns undefined for unknown scopes', () => {
    expect(scopeToPermission('spaceships:fly')).toBeUndefined();
    expect(scopeToPermission('')).toBeUndefined();
  });

  it('round-trips through permissionToScope', () => {
    expect(permissionToScope('hiringProcessMetadataRead')).toBe('hiringProcessMetadata:read');
    expect(scopeToPermission(permissionToScope('organizationRead'))).toBe('organizationRead');
  });
});

describe('permissionForEndpoint', () => {
  it('maps the endpoints the client calls', () => {
    expect(permissionForEndpoint('candidate.create')).toBe('candidatesWrite');
    expect(permissionForEndpoint('/candidate.search')).toBe('candidatesRead');
    expect(permissionForEndpoint('jobInterviewPlan.info')).toBe('jobsRead');
    expect(permissionForEndpoint('interviewStage.list')).toBe('interviewsRead');
    expect(permissionForEndpoint('archiveReason.list')).toBe('hiringProcessMetadataRead');
    expect(permissionForEndpoint('user.list')).toBe('organizationRead');
    expect(permissionForEndpoint('file.createFileUploadHandle')).toBe('candidatesWrite');
    expect(permissionForEndpoint('apiKey.info')).toBe('apiKeysRead');
    expect(permissionForEndpoint('nothing.here')).toBeUndefined();
  });
});

describe('checkPermissions', () => {
  const full = [
    'candidates:read',
    'candidates:write',
    'jobs:read',
    'interviews:read',
    'hiringProcessMetadata:read',
    'apiKeys:read',
  ];

  it('passes a key with every scope', () => {
    const result = checkPermissions(full, ['request_intro', 'archive']);
    expect(result.ok).toBe(true);
    expect(result.missing).toEqual([]);
    expect(result.events.map((event) => event.event)).toEqual(['request_intro', 'archive']);
  });

  it('names candidatesWrite for each enabled event', () => {
    const scopes = full.filter((scope) => scope !== 'candidates:write');
    const result = checkPermissions(scopes, ['complete_intro', 'hire']);
    expect(result.ok).toBe(false);
    expect(result.missing).toEqual(['candidatesWrite']);
    for (const event of result.events) expect(event.missing).toEqual(['candidatesWrite']);
    expect(result.healthCheck.missing).toEqual([]);
  });

  it('reports the health check permission', () => {
    const result = checkPermissions(full.filter((scope) => scope !== 'apiKeys:read'), []);
    expect(result.events).toEqual([]);
    expect(result.healthCheck.missing).toEqual(['apiKeysRead']);
    expect(result.missing).toEqual(['apiKeysRead']);
  });

  it('accepts permission-style scopes', () => {
    const result = checkPermissions(
      ['candidatesRead', 'candidatesWrite', 'jobsRead', 'interviewsRead', 'hiringProcessMetadataRead', 'apiKeysRead'],
      ['shortlist'],
    );
    expect(result.ok).toBe(true);
  });
});
