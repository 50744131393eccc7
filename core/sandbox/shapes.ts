// Builds the JSON objects Ashby sends from stored records. Key order, explicit nulls and omitted
// fields follow responses recorded from the real API on 2026-05-28: arrays are always present,
// `source`, `creditedToUser`, `timezone`, `fraudStatus` are explicit nulls, and
// `primaryEmailAddress` / `archivedAt` are left out when there is no value.
import type {
  StoredApplication,
  StoredArchiveReason,
  StoredCandidate,
  StoredHistoryEntry,
  StoredJob,
  StoredSource,
  StoredStage,
  StoredUser,
  Tenant,
} from './model.js';

type Json = Record<string, unknown>;

export function userShape(user: StoredUser): Json {
  return {
    id: user.id,
    firstName: user.firstName,
    lastName: user.lastName,
    email: user.email,
    globalRole: user.globalRole,
    isEnabled: user.isEnabled,
    updatedAt: user.updatedAt,
  };
}

export function sourceShape(source: StoredSource): Json {
  return {
    id: source.id,
    title: source.title,
    isArchived: source.isArchived,
    sourceType: { ...source.sourceType },
  };
}

export function archiveReasonShape(reason: StoredArchiveReason): Json {
  return { id: reason.id, text: reason.text, reasonType: reason.reasonType, isArchived: reason.isArchived };
}

export function stageShape(stage: StoredStage): Json {
  return {
    id: stage.id,
    title: stage.title,
    type: stage.type,
    interviewPlanId: stage.interviewPlanId,
    orderInInterviewPlan: stage.orderInInterviewPlan,
    interviewStageGroupId: stage.interviewStageGroupId,
  };
}

export function jobShape(tenant: Tenant, job: StoredJob): Json {
  const author = tenant.users.get(job.authorId);
  const shape: Json = {
    id: job.id,
    title: job.title,
    confidential: job.confidential,
    status: job.status,
    employmentType: job.employmentType,
    locationId: job.locationId,
    departmentId: job.departmentId,
    defaultInterviewPlanId: job.defaultInterviewPlanId,
    interviewPlanIds: [...job.interviewPlanIds],
    jobPostingIds: [],
    customFields: [],
    hiringTeam: [],
    customRequisitionId: null,
    brandId: job.brandId,
  };
  if (author) shape['author'] = userShape(author);
  shape['createdAt'] = job.createdAt;
  shape['updatedAt'] = job.updatedAt;
  if (job.openedAt !== null) shape['openedAt'] = job.openedAt;
  if (job.closedAt !== null) shape['closedAt'] = job.closedAt;
  return shape;
}

function contactShape(value: string, type: string, isPrimary: boolean): Json {
  return { value, type, isPrimary };
}

function locationShape(candidate: StoredCandidate): Json | null {
  const location = candidate.location;
  if (!location) return null;
  const components: Json[] = [];
  if (location.country) components.push({ type: 'Country', name: location.country });
  if (location.region) components.push({ type: 'Region', name: location.region });
  if (location.city) components.push({ type: 'City', name: location.city });
  const summary = [location.city, location.region, location.country].filter((part) => part).join(', ');
  return { id: location.id, locationSummary: summary, locationComponents: components };
}

/**
 * Builds a candidate. `visibleApplicationIds` lets callers hide applications on confidential
 * jobs from keys without the confidential toggle.
 */
export function candidateShape(
  tenant: Tenant,
  candidate: StoredCandidate,
  visibleApplicationIds: string[] = candidate.applicationIds,
): Json {
  const shape: Json = {
    id: candidate.id,
    createdAt: candidate.createdAt,
    updatedAt: candidate.updatedAt,
    name: candidate.name,
  };
  const primaryEmail = candidate.emails[0];
  if (primaryEmail) shape['primaryEmailAddress'] = contactShape(primaryEmail.value, primaryEmail.type, true);
  shape['emailAddresses'] = candidate.emails.map((email, index) => contactShape(email.value, email.type, index === 0));
  const primaryPhone = candidate.phones[0];
  if (primaryPhone) shape['primaryPhoneNumber'] = contactShape(primaryPhone.value, primaryPhone.type, true);
  shape['phoneNumbers'] = candidate.phones.map((phone, index) => contactShape(phone.value, phone.type, index === 0));
  shape['socialLinks'] = candidate.socialLinks.map((link) => ({ type: link.type, url: link.url }));
  shape['tags'] = [];
  if (candidate.position !== null) shape['position'] = candidate.position;
  if (candidate.company !== null) shape['company'] = candidate.company;
  if (candidate.school !== null) shape['school'] = candidate.school;
  shape['applicationIds'] = [...visibleApplicationIds];
  if (candidate.resume) shape['resumeFileHandle'] = { ...candidate.resume };
  shape['fileHandles'] = candidate.files.map((file) => ({ ...file }));
  shape['customFields'] = [];
  shape['profileUrl'] = `https://app.ashbyhq.com/candidate-searches/new/right-side/candidates/${candidate.profileToken}`;
  const source = candidate.sourceId ? tenant.sources.get(candidate.sourceId) : undefined;
  shape['source'] = source ? sourceShape(source) : null;
  const creditedTo = candidate.creditedToUserId ? tenant.users.get(candidate.creditedToUserId) : undefined;
  shape['creditedToUser'] = creditedTo ? userShape(creditedTo) : null;
  shape['timezone'] = null;
  const location = locationShape(candidate);
  if (location) shape['location'] = location;
  shape['fraudStatus'] = null;
  return shape;
}

export function historyEntryShape(entry: StoredHistoryEntry, isCurrent: boolean): Json {
  const shape: Json = {
    id: entry.id,
    stageId: entry.stageId,
    title: entry.title,
    stageNumber: entry.stageNumber,
    enteredStageAt: entry.enteredStageAt,
  };
  if (entry.leftStageAt !== null) shape['leftStageAt'] = entry.leftStageAt;
  // Recorded responses allow only moving the entered date of the current entry, but also deleting older ones.
  shape['allowedActions'] = isCurrent ? ['set_entered_at'] : ['set_entered_at', 'delete'];
  shape['actorId'] = entry.actorId;
  return shape;
}

export interface ApplicationShapeOptions {
  /** `application.info` and `application.create` include the stage history; lists do not. */
  includeHistory: boolean;
}

export function applicationShape(tenant: Tenant, application: StoredApplication, options: ApplicationShapeOptions): Json {
  const candidate = tenant.candidates.get(application.candidateId);
  const job = tenant.jobs.get(application.jobId);
  const stage = tenant.stages.get(application.stageId);
  if (!candidate || !job || !stage) {
    throw new Error(`Application ${application.id} refers to a missing candidate, job or stage`);
  }

  const candidateSummary: Json = { id: candidate.id, name: candidate.name };
  const email = candidate.emails[0];
  if (email) candidateSummary['primaryEmailAddress'] = contactShape(email.value, email.type, true);
  const phone = candidate.phones[0];
  if (phone) candidateSummary['primaryPhoneNumber'] = contactShape(phone.value, phone.type, true);

  const shape: Json = {
    id: application.id,
    createdAt: application.createdAt,
    updatedAt: application.updatedAt,
  };
  if (application.archivedAt !== null) shape['archivedAt'] = application.archivedAt;
  shape['candidate'] = candidateSummary;
  shape['status'] = application.status;
  shape['customFields'] = [];
  shape['currentInterviewStage'] = stageShape(stage);
  const source = application.sourceId ? tenant.sources.get(application.sourceId) : undefined;
  shape['source'] = source ? sourceShape(source) : null;
  const creditedTo = application.creditedToUserId ? tenant.users.get(application.creditedToUserId) : undefined;
  shape['creditedToUser'] = creditedTo ? userShape(creditedTo) : null;
  const reason = application.archiveReasonId ? tenant.archiveReasons.get(application.archiveReasonId) : undefined;
  shape['archiveReason'] = reason ? { ...archiveReasonShape(reason), customFields: [] } : null;
  shape['job'] = {
    id: job.id,
    title: job.title,
    locationId: job.locationId,
    departmentId: job.departmentId,
    brandId: job.brandId,
  };
  shape['hiringTeam'] = [];
  shape['appliedViaJobPostingId'] = null;
  if (options.includeHistory) {
    const last = application.history.length - 1;
    shape['applicationHistory'] = application.history.map((entry, index) => historyEntryShape(entry, index === last));
  }
  shape['submitterClientIp'] = null;
  shape['submitterUserAgent'] = null;
  return shape;
}
