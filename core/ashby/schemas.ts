// zod schemas for the Ashby objects and envelopes the client reads.
//
// Real Ashby responses carry explicit `null` for optional fields that the published OpenAPI
// document types only as object or string, and some recorded responses trim nested objects
// (`currentInterviewStage` as `{ id }` only, a `source` without `isArchived`). So every schema here
// lets unknown fields through, accepts `null` for every optional field, and requires only what the
// console depends on.
import { z } from 'zod';

/** Optional field that Ashby may omit or send as explicit `null`. */
function nullish<T extends z.ZodType>(schema: T) {
  return schema.nullish();
}

const Id = z.string();
const IsoDateTime = z.string();

// --- Shared pieces -------------------------------------------------------------------------------

export const ContactInfo = z.looseObject({
  value: z.string(),
  /** `Personal`, `Work` or `Other` in the published document. */
  type: nullish(z.string()),
  isPrimary: nullish(z.boolean()),
});
export type ContactInfo = z.infer<typeof ContactInfo>;

export const SocialLink = z.looseObject({
  /** `LinkedIn`, `GitHub`, `Twitter`, `Medium`, `StackOverflow`, `YouTube`, `CodePen` or `Website`. */
  type: z.string(),
  url: z.string(),
});
export type SocialLink = z.infer<typeof SocialLink>;

export const Tag = z.looseObject({
  id: Id,
  title: nullish(z.string()),
  isArchived: nullish(z.boolean()),
});
export type Tag = z.infer<typeof Tag>;

export const FileHandle = z.looseObject({
  id: nullish(Id),
  name: nullish(z.string()),
  handle: z.string(),
});
export type FileHandle = z.infer<typeof FileHandle>;

export const CustomFieldValue = z.looseObject({
  id: nullish(Id),
  title: nullish(z.string()),
  isPrivate: nullish(z.boolean()),
  value: z.unknown().optional(),
  valueLabel: nullish(z.string()),
});
export type CustomFieldValue = z.infer<typeof CustomFieldValue>;

const CustomFields = nullish(z.array(CustomFieldValue));

export const SourceType = z.looseObject({
  id: Id,
  title: nullish(z.string()),
  isArchived: nullish(z.boolean()),
});
export type SourceType = z.infer<typeof SourceType>;

export const Source = z.looseObject({
  id: Id,
  title: nullish(z.string()),
  isArchived: nullish(z.boolean()),
  sourceType: nullish(SourceType),
});
export type Source = z.infer<typeof Source>;

export const USER_GLOBAL_ROLES = [
  'Organization Admin',
  'Elevated Access',
  'Limited Access',
  'External Recruiter',
] as const;

export const User = z.looseObject({
  id: Id,
  firstName: nullish(z.string()),
  lastName: nullish(z.string()),
  email: nullish(z.string()),
  /** One of USER_GLOBAL_ROLES; kept a string so a new role does not reject the whole list. */
  globalRole: nullish(z.string()),
  isEnabled: nullish(z.boolean()),
  updatedAt: nullish(IsoDateTime),
  managerId: nullish(Id),
  customFields: CustomFields,
});
export type User = z.infer<typeof User>;

export const LocationComponent = z.looseObject({
  type: nullish(z.string()),
  name: nullish(z.string()),
});

export const CandidateLocation = z.looseObject({
  id: nullish(Id),
  locationSummary: nullish(z.string()),
  locationComponents: nullish(z.array(LocationComponent)),
});

// --- Candidate -----------------------------------------------------------------------------------

export const Candidate = z.looseObject({
  id: Id,
  createdAt: nullish(IsoDateTime),
  updatedAt: nullish(IsoDateTime),
  name: z.string(),
  primaryEmailAddress: nullish(ContactInfo),
  emailAddresses: z.array(ContactInfo).nullish().transform((value) => value ?? []),
  primaryPhoneNumber: nullish(ContactInfo),
  phoneNumbers: z.array(ContactInfo).nullish().transform((value) => value ?? []),
  socialLinks: z.array(SocialLink).nullish().transform((value) => value ?? []),
  tags: z.array(Tag).nullish().transform((value) => value ?? []),
  position: nullish(z.string()),
  company: nullish(z.string()),
  school: nullish(z.string()),
  applicationIds: z.array(Id).nullish().transform((value) => value ?? []),
  resumeFileHandle: nullish(FileHandle),
  fileHandles: z.array(FileHandle).nullish().transform((value) => value ?? []),
  customFields: CustomFields,
  profileUrl: nullish(z.string()),
  source: nullish(Source),
  creditedToUser: nullish(User),
  timezone: nullish(z.string()),
  location: nullish(CandidateLocation),
  /** `Fraudulent`, `NotFraudulent`, `Unsure`, `Unreviewed` or `PassedFraudCheck`. */
  fraudStatus: nullish(z.string()),
});
export type Candidate = z.infer<typeof Candidate>;

// --- Jobs, plans and stages ----------------------------------------------------------------------

/** Stage types of an interview plan, in the order the plan's sections run. */
export const INTERVIEW_STAGE_TYPES = [
  'Lead',
  'PreInterviewScreen',
  'Active',
  'Offer',
  'Hired',
  'Archived',
] as const;
export type InterviewStageType = (typeof INTERVIEW_STAGE_TYPES)[number];

export const InterviewStage = z.looseObject({
  id: Id,
  title: z.string(),
  /**
   * One of INTERVIEW_STAGE_TYPES in practice; the published document types it as a free string,
   * so an unknown value is kept rather than rejected.
   */
  type: z.string(),
  orderInInterviewPlan: z.number(),
  interviewStageGroupId: nullish(Id),
  interviewPlanId: Id,
});
export type InterviewStage = z.infer<typeof InterviewStage>;

/** A stage as embedded in an application, which some responses trim to `{ id }`. */
export const ApplicationStage = z.looseObject({
  id: Id,
  title: nullish(z.string()),
  type: nullish(z.string()),
  orderInInterviewPlan: nullish(z.number()),
  interviewStageGroupId: nullish(Id),
  interviewPlanId: nullish(Id),
});
export type ApplicationStage = z.infer<typeof ApplicationStage>;

export const JobInterviewPlanStage = z.looseObject({
  id: Id,
  title: z.string(),
  type: z.string(),
  orderInInterviewPlan: z.number(),
  interviewStageGroupId: nullish(Id),
  activities: nullish(z.array(z.looseObject({ id: Id }))),
});
export type JobInterviewPlanStage = z.infer<typeof JobInterviewPlanStage>;

export const JobInterviewPlan = z.looseObject({
  jobId: Id,
  interviewPlanId: Id,
  stages: z.array(JobInterviewPlanStage),
});
export type JobInterviewPlan = z.infer<typeof JobInterviewPlan>;

export const JOB_STATUSES = ['Draft', 'Open', 'Closed', 'Archived'] as const;
export const JobStatus = z.enum(JOB_STATUSES);
export type JobStatus = z.infer<typeof JobStatus>;

export const HiringTeamMember = z.looseObject({
  email: nullish(z.string()),
  firstName: nullish(z.string()),
  lastName: nullish(z.string()),
  role: nullish(z.string()),
  userId: nullish(Id),
});

export const Job = z.looseObject({
  id: Id,
  title: z.string(),
  confidential: nullish(z.boolean()),
  status: JobStatus,
  employmentType: nullish(z.string()),
  locationId: nullish(Id),
  departmentId: nullish(Id),
  /** Not necessarily listed in `interviewPlanIds` (seen in a recorded `job.info`). */
  defaultInterviewPlanId: nullish(Id),
  interviewPlanIds: nullish(z.array(Id)),
  customFields: CustomFields,
  jobPostingIds: nullish(z.array(Id)),
  customRequisitionId: nullish(z.string()),
  brandId: nullish(Id),
  hiringTeam: nullish(z.array(HiringTeamMember)),
  author: nullish(User),
  createdAt: nullish(IsoDateTime),
  updatedAt: nullish(IsoDateTime),
  openedAt: nullish(IsoDateTime),
  closedAt: nullish(IsoDateTime),
});
export type Job = z.infer<typeof Job>;

// --- Archive reasons and applications ------------------------------------------------------------

export const ArchiveReason = z.looseObject({
  id: Id,
  text: nullish(z.string()),
  /** `RejectedByCandidate`, `RejectedByOrg` or `Other`. */
  reasonType: nullish(z.string()),
  isArchived: nullish(z.boolean()),
  customFields: CustomFields,
});
export type ArchiveReason = z.infer<typeof ArchiveReason>;

export const APPLICATION_STATUSES = ['Hired', 'Archived', 'Active', 'Lead'] as const;
export const ApplicationStatus = z.enum(APPLICATION_STATUSES);
export type ApplicationStatus = z.infer<typeof ApplicationStatus>;

export const ApplicationHistoryEntry = z.looseObject({
  id: Id,
  stageId: Id,
  title: nullish(z.string()),
  stageNumber: nullish(z.number()),
  enteredStageAt: nullish(IsoDateTime),
  leftStageAt: nullish(IsoDateTime),
  actorId: nullish(Id),
  allowedActions: nullish(z.array(z.string())),
});
export type ApplicationHistoryEntry = z.infer<typeof ApplicationHistoryEntry>;

export const Application = z.looseObject({
  id: Id,
  createdAt: nullish(IsoDateTime),
  updatedAt: nullish(IsoDateTime),
  archivedAt: nullish(IsoDateTime),
  candidate: z.looseObject({
    id: Id,
    name: nullish(z.string()),
    primaryEmailAddress: nullish(ContactInfo),
    primaryPhoneNumber: nullish(ContactInfo),
  }),
  status: ApplicationStatus,
  customFields: CustomFields,
  currentInterviewStage: nullish(ApplicationStage),
  source: nullish(Source),
  creditedToUser: nullish(User),
  archiveReason: nullish(ArchiveReason),
  job: z.looseObject({
    id: Id,
    title: nullish(z.string()),
    locationId: nullish(Id),
    departmentId: nullish(Id),
    brandId: nullish(Id),
  }),
  hiringTeam: nullish(z.array(HiringTeamMember)),
  appliedViaJobPostingId: nullish(Id),
  applicationHistory: nullish(z.array(ApplicationHistoryEntry)),
  resumeFileHandle: nullish(FileHandle),
  submitterClientIp: nullish(z.string()),
  submitterUserAgent: nullish(z.string()),
});
export type Application = z.infer<typeof Application>;

// --- API key and file upload ---------------------------------------------------------------------

export const ApiKeyInfo = z.looseObject({
  title: nullish(z.string()),
  createdAt: nullish(IsoDateTime),
  /** Scope strings in `<module>:<read|write>` form, e.g. `candidates:write`. */
  scopes: z.array(z.string()).nullish().transform((value) => value ?? []),
});
export type ApiKeyInfo = z.infer<typeof ApiKeyInfo>;

export const FileUploadHandle = z.looseObject({
  handle: z.string(),
  url: z.string(),
  /** Form fields to send, in order, before the `file` part of the multipart upload. */
  fields: z.record(z.string(), z.string()),
});
export type FileUploadHandle = z.infer<typeof FileUploadHandle>;

// --- Envelopes -----------------------------------------------------------------------------------

// Envelopes are built once per item schema and reused. zod 4.6 compiles an object schema into a
// parser function (`new Function`) on its first parse, so an envelope built per call was compiled
// again on every call.
const successEnvelopes = new WeakMap<z.ZodType, z.ZodType>();
const listEnvelopes = new WeakMap<z.ZodType, z.ZodType>();

function buildSuccessEnvelope<T extends z.ZodType>(results: T) {
  return z.looseObject({
    success: z.literal(true),
    results,
    warnings: nullish(z.array(z.string())),
  });
}

function buildListEnvelope<T extends z.ZodType>(item: T) {
  return z.looseObject({
    success: z.literal(true),
    results: z.array(item),
    moreDataAvailable: nullish(z.boolean()),
    nextCursor: nullish(z.string()),
    syncToken: nullish(z.string()),
    warnings: nullish(z.array(z.string())),
  });
}

export type SuccessEnvelope<T extends z.ZodType> = ReturnType<typeof buildSuccessEnvelope<T>>;
export type ListEnvelope<T extends z.ZodType> = ReturnType<typeof buildListEnvelope<T>>;

/** Success envelope of a call that returns one object (or a plain array). */
export function successEnvelope<T extends z.ZodType>(results: T): SuccessEnvelope<T> {
  let envelope = successEnvelopes.get(results) as SuccessEnvelope<T> | undefined;
  if (envelope === undefined) {
    envelope = buildSuccessEnvelope(results);
    successEnvelopes.set(results, envelope);
  }
  return envelope;
}

/** Success envelope of a call that returns a list, paginated or not. */
export function listEnvelope<T extends z.ZodType>(item: T): ListEnvelope<T> {
  let envelope = listEnvelopes.get(item) as ListEnvelope<T> | undefined;
  if (envelope === undefined) {
    envelope = buildListEnvelope(item);
    listEnvelopes.set(item, envelope);
  }
  return envelope;
}

/**
 * An `errors[]` entry: a string code in the published document. Some clients also receive
 * `{ message, parameter }` objects, so both are accepted.
 */
export const ErrorsEntry = z.union([z.string(), z.looseObject({ message: nullish(z.string()) })]);

export const ErrorInfo = z.looseObject({
  code: z.string(),
  message: nullish(z.string()),
  requestId: nullish(z.string()),
  meta: z.unknown().optional(),
});
export type ErrorInfo = z.infer<typeof ErrorInfo>;

export const ErrorEnvelope = z.looseObject({
  success: z.literal(false),
  errors: nullish(z.array(ErrorsEntry)),
  errorInfo: nullish(ErrorInfo),
});
export type ErrorEnvelope = z.infer<typeof ErrorEnvelope>;
