// In-memory records of one sandbox organisation. Shapes sent over the wire are built from these
// by shapes.ts, so the stored form can stay convenient (ids instead of nested objects).

export const STAGE_TYPES = ['Lead', 'PreInterviewScreen', 'Active', 'Offer', 'Hired', 'Archived'] as const;
export type StageType = (typeof STAGE_TYPES)[number];

export const JOB_STATUSES = ['Draft', 'Open', 'Closed', 'Archived'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export type ApplicationStatus = 'Lead' | 'Active' | 'Hired' | 'Archived';

/** Module permissions as Ashby's OpenAPI document names them ("Requires the `<name>` permission"). */
export const PERMISSIONS = [
  'apiKeysRead',
  'apiKeysWrite',
  'candidatesRead',
  'candidatesWrite',
  'jobsRead',
  'jobsWrite',
  'interviewsRead',
  'interviewsWrite',
  'hiringProcessMetadataRead',
  'hiringProcessMetadataWrite',
  'organizationRead',
  'organizationWrite',
  'offersRead',
  'offersWrite',
  'approvalsRead',
  'approvalsWrite',
  'reportsRead',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}

/** Ordering and change tracking shared by every record that a paginated list returns. */
export interface Tracked {
  /** Creation order inside the tenant; pagination cursors resume after an ordinal. */
  ordinal: number;
  /** Tenant change sequence at the last write; sync tokens return records changed after theirs. */
  changeSeq: number;
}

export type GlobalRole = 'Organization Admin' | 'Elevated Access' | 'Limited Access' | 'External Recruiter';

export interface StoredUser extends Tracked {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  globalRole: GlobalRole;
  isEnabled: boolean;
  updatedAt: string;
}

export interface StoredSourceType {
  id: string;
  title: string;
  isArchived: boolean;
}

export interface StoredSource {
  id: string;
  title: string;
  isArchived: boolean;
  sourceType: StoredSourceType;
}

export type ArchiveReasonType = 'RejectedByCandidate' | 'RejectedByOrg' | 'Other';

export interface StoredArchiveReason {
  id: string;
  text: string;
  reasonType: ArchiveReasonType;
  isArchived: boolean;
}

export interface StoredStage {
  id: string;
  title: string;
  type: StageType;
  orderInInterviewPlan: number;
  interviewPlanId: string;
  interviewStageGroupId: string | null;
  /** Set by the admin route that deletes a stage; a deleted stage is no longer listed or accepted. */
  deleted: boolean;
}

export interface StoredPlan {
  id: string;
  title: string;
  /** Stage ids in plan order. */
  stageIds: string[];
}

export type EmploymentType = 'FullTime' | 'PartTime' | 'Intern' | 'Contract' | 'Temporary';

export interface StoredJob extends Tracked {
  id: string;
  title: string;
  status: JobStatus;
  confidential: boolean;
  employmentType: EmploymentType;
  locationId: string;
  departmentId: string;
  brandId: string;
  defaultInterviewPlanId: string;
  interviewPlanIds: string[];
  authorId: string;
  createdAt: string;
  updatedAt: string;
  openedAt: string | null;
  closedAt: string | null;
}

export type ContactType = 'Personal' | 'Work' | 'Other';

export interface ContactPoint {
  value: string;
  type: ContactType;
}

export const SOCIAL_LINK_TYPES = [
  'LinkedIn',
  'GitHub',
  'Twitter',
  'Medium',
  'StackOverflow',
  'YouTube',
  'CodePen',
  'Website',
] as const;
export type SocialLinkType = (typeof SOCIAL_LINK_TYPES)[number];

export interface SocialLink {
  type: SocialLinkType;
  url: string;
}

export interface StoredFileHandle {
  id: string;
  name: string;
  handle: string;
}

export interface StoredLocation {
  id: string;
  city: string | null;
  region: string | null;
  country: string | null;
}

export interface StoredCandidate extends Tracked {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  /** The first entry is the primary email address. */
  emails: ContactPoint[];
  /** The first entry is the primary phone number. */
  phones: ContactPoint[];
  socialLinks: SocialLink[];
  position: string | null;
  company: string | null;
  school: string | null;
  applicationIds: string[];
  resume: StoredFileHandle | null;
  files: StoredFileHandle[];
  sourceId: string | null;
  creditedToUserId: string | null;
  location: StoredLocation | null;
  /** Opaque id used only in `profileUrl`, as Ashby's UI links use their own id. */
  profileToken: string;
}

export interface StoredHistoryEntry {
  id: string;
  stageId: string;
  title: string;
  stageNumber: number;
  enteredStageAt: string;
  leftStageAt: string | null;
  actorId: string | null;
}

export interface StoredApplication extends Tracked {
  id: string;
  candidateId: string;
  jobId: string;
  interviewPlanId: string;
  stageId: string;
  status: ApplicationStatus;
  sourceId: string | null;
  creditedToUserId: string | null;
  archiveReasonId: string | null;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
  history: StoredHistoryEntry[];
}

export interface StoredApiKey {
  key: string;
  tenantId: string;
  title: string;
  createdAt: string;
  permissions: Set<Permission>;
  /** Ashby's "Allow access to confidential jobs and projects?" toggle. */
  confidentialAccess: boolean;
  revoked: boolean;
}

/** A presigned upload slot handed out by `file.createFileUploadHandle`. */
export interface StoredUpload {
  handle: string;
  token: string;
  tenantId: string;
  context: 'CandidateResume' | 'CandidateFiles' | 'ApplicationForm';
  filename: string;
  contentType: string;
  contentLength: number;
  expiresAt: number;
  /** Set once the file has been posted to the upload URL. */
  receivedBytes: number | null;
  /** Set once a `candidate.uploadResume` call has used the handle. */
  consumed: boolean;
}

export interface Tenant {
  id: string;
  name: string;
  users: Map<string, StoredUser>;
  sources: Map<string, StoredSource>;
  archiveReasons: Map<string, StoredArchiveReason>;
  plans: Map<string, StoredPlan>;
  stages: Map<string, StoredStage>;
  jobs: Map<string, StoredJob>;
  candidates: Map<string, StoredCandidate>;
  applications: Map<string, StoredApplication>;
  /** Lower-cased email address → ids of candidates carrying it, for `candidate.search`. */
  emailIndex: Map<string, Set<string>>;
  nextOrdinal: number;
  changeSeq: number;
}

export function stageStatus(type: StageType): ApplicationStatus {
  switch (type) {
    case 'Lead':
      return 'Lead';
    case 'PreInterviewScreen':
    case 'Active':
    case 'Offer':
      return 'Active';
    case 'Hired':
      return 'Hired';
    case 'Archived':
      return 'Archived';
  }
}

/** Presigned uploads, found by handle (API calls) or by the token in the upload URL. */
export class UploadRegistry {
  private readonly byHandleMap = new Map<string, StoredUpload>();
  private readonly byTokenMap = new Map<string, StoredUpload>();

  add(upload: StoredUpload): void {
    this.byHandleMap.set(upload.handle, upload);
    this.byTokenMap.set(upload.token, upload);
  }

  byHandle(handle: string): StoredUpload | undefined {
    return this.byHandleMap.get(handle);
  }

  byToken(token: string): StoredUpload | undefined {
    return this.byTokenMap.get(token);
  }
}
