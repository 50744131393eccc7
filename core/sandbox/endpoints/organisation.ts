import { z } from 'zod';

import type { Permission } from '../model.js';
import { archiveReasonShape, sourceShape, userShape } from '../shapes.js';
import { filterKey, pageParams, parseJson, type EndpointDefinition } from './common.js';

/** Turns a permission name (`candidatesRead`) into the scope string `apiKey.info` returns (`candidates:read`). */
export function scopeFor(permission: Permission): string {
  const match = /^(.*)(Read|Write)$/.exec(permission);
  if (!match) return permission;
  return `${match[1]}:${match[2] === 'Read' ? 'read' : 'write'}`;
}

const apiKeyInfo: EndpointDefinition = {
  permission: 'apiKeysRead',
  acceptsMultipart: false,
  writes: false,
  handle(context, body) {
    parseJson(z.object({}), body);
    return {
      results: {
        title: context.key.title,
        createdAt: context.key.createdAt,
        scopes: [...context.key.permissions].map(scopeFor),
      },
    };
  },
};

const userList: EndpointDefinition = {
  permission: 'organizationRead',
  acceptsMultipart: false,
  writes: false,
  handle(context, body) {
    const input = parseJson(z.object({ ...pageParams, includeDeactivated: z.boolean().optional() }), body);
    const includeDeactivated = input.includeDeactivated ?? false;
    const users = [...context.tenant.users.values()].filter((user) => includeDeactivated || user.isEnabled);
    const page = context.pagination.page(
      context.tenant,
      'user.list',
      filterKey({ includeDeactivated }),
      users,
      input,
      context.nowMs,
    );
    return { ...page, results: page.results.map(userShape) };
  },
};

const sourceList: EndpointDefinition = {
  permission: 'hiringProcessMetadataRead',
  acceptsMultipart: false,
  writes: false,
  handle(context, body) {
    const input = parseJson(z.object({ includeArchived: z.boolean().optional() }), body);
    const includeArchived = input.includeArchived ?? false;
    const sources = [...context.tenant.sources.values()].filter((source) => includeArchived || !source.isArchived);
    return { results: sources.map(sourceShape), moreDataAvailable: false };
  },
};

const archiveReasonList: EndpointDefinition = {
  permission: 'hiringProcessMetadataRead',
  acceptsMultipart: false,
  writes: false,
  handle(context, body) {
    const input = parseJson(z.object({ includeArchived: z.boolean().optional() }), body);
    const includeArchived = input.includeArchived ?? false;
    const reasons = [...context.tenant.archiveReasons.values()].filter(
      (reason) => includeArchived || !reason.isArchived,
    );
    return { results: reasons.map(archiveReasonShape) };
  },
};

export const organisationEndpoints: Record<string, EndpointDefinition> = {
  'apiKey.info': apiKeyInfo,
  'user.list': userList,
  'source.list': sourceList,
  'archiveReason.list': archiveReasonList,
};
