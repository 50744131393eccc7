// Helpers that fill a tenant with records. Seeds call these in a fixed order, so with a named
// IdSource the ids come out the same on every start.
import { IdSource } from './ids.js';
import {
  stageStatus,
  type ArchiveReasonType,
  type EmploymentType,
  type GlobalRole,
  type JobStatus,
  type StageType,
  type StoredApplication,
  type StoredCandidate,
  type StoredHistoryEntry,
  type StoredJob,
  type StoredPlan,
  type StoredSource,
  type StoredSourceType,
  type StoredUser,
  type Tenant,
} from './model.js';
import { createTenant, indexCandidateEmails, track } from './tenant.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export class SeedBuilder {
  readonly tenant: Tenant;
  private readonly sourceTypes = new Map<string, StoredSourceType>();
  private readonly locationId: string;
  private readonly departmentId: string;
  private readonly brandId: string;

  constructor(
    name: string,
    readonly ids: IdSource,
    /** Clock reading when the seed runs; seeded dates lie before it. */
    readonly nowMs: number,
  ) {
    this.tenant = createTenant(ids.next(), name);
    this.locationId = ids.next();
    this.departmentId = ids.next();
    this.brandId = ids.next();
  }

  daysAgo(days: number): string {
    return new Date(this.nowMs - days * DAY_MS).toISOString();
  }

  addUser(firstName: string, lastName: string, email: string, globalRole: GlobalRole): StoredUser {
    const user = track<StoredUser>(this.tenant, {
      id: this.ids.next(),
      firstName,
      lastName,
      email,
      globalRole,
      isEnabled: true,
      updatedAt: this.daysAgo(30),
    });
    this.tenant.users.set(user.id, user);
    return user;
  }

  addSource(title: string, typeTitle: string, isArchived = false): StoredSource {
    let sourceType = this.sourceTypes.get(typeTitle);
    if (!sourceType) {
      sourceType = { id: this.ids.next(), title: typeTitle, isArchived: false };
      this.sourceTypes.set(typeTitle, sourceType);
    }
    const source: StoredSource = { id: this.ids.next(), title, isArchived, sourceType };
    this.tenant.sources.set(source.id, source);
    return source;
  }

  addArchiveReason(text: string, reasonType: ArchiveReasonType, isArchived = false): void {
    const id = this.ids.next();
    this.tenant.archiveReasons.set(id, { id, text, reasonType, isArchived });
  }

  /** Adds a plan whose stages are numbered in the given order. */
  addPlan(title: string, stages: readonly (readonly [string, StageType])[]): StoredPlan {
    const plan: StoredPlan = { id: this.ids.next(), title, stageIds: [] };
    stages.forEach(([stageTitle, type], order) => {
      const id = this.ids.next();
      this.tenant.stages.set(id, {
        id,
        title: stageTitle,
        type,
        orderInInterviewPlan: order,
        interviewPlanId: plan.id,
        interviewStageGroupId: null,
        deleted: false,
      });
      plan.stageIds.push(id);
    });
    this.tenant.plans.set(plan.id, plan);
    return plan;
  }

  addJob(options: {
    title: string;
    status: JobStatus;
    plan: StoredPlan;
    authorId: string;
    confidential?: boolean;
    employmentType?: EmploymentType;
    createdDaysAgo?: number;
  }): StoredJob {
    const createdDaysAgo = options.createdDaysAgo ?? 60;
    const opened = options.status !== 'Draft';
    const closed = options.status === 'Closed' || options.status === 'Archived';
    const job = track<StoredJob>(this.tenant, {
      id: this.ids.next(),
      title: options.title,
      status: options.status,
      confidential: options.confidential ?? false,
      employmentType: options.employmentType ?? 'FullTime',
      locationId: this.locationId,
      departmentId: this.departmentId,
      brandId: this.brandId,
      defaultInterviewPlanId: options.plan.id,
      interviewPlanIds: [options.plan.id],
      authorId: options.authorId,
      createdAt: this.daysAgo(createdDaysAgo),
      updatedAt: this.daysAgo(Math.max(0, createdDaysAgo - 1)),
      openedAt: opened ? this.daysAgo(createdDaysAgo - 1) : null,
      closedAt: closed ? this.daysAgo(Math.max(0, createdDaysAgo - 30)) : null,
    });
    this.tenant.jobs.set(job.id, job);
    return job;
  }

  addCandidate(options: {
    name: string;
    email?: string;
    phone?: string;
    linkedInUrl?: string;
    position?: string;
    company?: string;
    sourceId?: string;
    createdDaysAgo?: number;
  }): StoredCandidate {
    const createdAt = this.daysAgo(options.createdDaysAgo ?? 20);
    const candidate = track<StoredCandidate>(this.tenant, {
      id: this.ids.next(),
      name: options.name,
      createdAt,
      updatedAt: createdAt,
      emails: options.email ? [{ value: options.email, type: 'Personal' }] : [],
      phones: options.phone ? [{ value: options.phone, type: 'Personal' }] : [],
      socialLinks: options.linkedInUrl ? [{ type: 'LinkedIn', url: options.linkedInUrl }] : [],
      position: options.position ?? null,
      company: options.company ?? null,
      school: null,
      applicationIds: [],
      resume: null,
      files: [],
      sourceId: options.sourceId ?? null,
      creditedToUserId: null,
      location: null,
      profileToken: this.ids.next(),
    });
    this.tenant.candidates.set(candidate.id, candidate);
    indexCandidateEmails(this.tenant, candidate);
    return candidate;
  }

  /** Adds an application that walked from the plan's first Lead stage to `stageTitle`. */
  addApplication(
    candidate: StoredCandidate,
    job: StoredJob,
    stageTitle: string,
    options: { sourceId?: string; archiveReasonId?: string; createdDaysAgo?: number } = {},
  ): StoredApplication {
    const plan = this.tenant.plans.get(job.defaultInterviewPlanId);
    const stages = (plan?.stageIds ?? []).map((id) => this.tenant.stages.get(id)).filter((s) => s !== undefined);
    const target = stages.find((stage) => stage.title === stageTitle);
    const first = stages.find((stage) => stage.type === 'Lead');
    if (!target || !first) throw new Error(`Seed error: job "${job.title}" has no stage "${stageTitle}"`);

    const createdDaysAgo = options.createdDaysAgo ?? 10;
    const createdAt = this.daysAgo(createdDaysAgo);
    const history: StoredHistoryEntry[] = [
      { id: this.ids.next(), stageId: first.id, title: first.title, stageNumber: 0, enteredStageAt: createdAt, leftStageAt: null, actorId: null },
    ];
    if (target.id !== first.id) {
      const movedAt = this.daysAgo(createdDaysAgo / 2);
      history[0]!.leftStageAt = movedAt;
      history.push({ id: this.ids.next(), stageId: target.id, title: target.title, stageNumber: 1, enteredStageAt: movedAt, leftStageAt: null, actorId: null });
    }
    const current = history[history.length - 1]!;
    const application = track<StoredApplication>(this.tenant, {
      id: this.ids.next(),
      candidateId: candidate.id,
      jobId: job.id,
      interviewPlanId: job.defaultInterviewPlanId,
      stageId: target.id,
      status: stageStatus(target.type),
      sourceId: options.sourceId ?? null,
      creditedToUserId: null,
      archiveReasonId: target.type === 'Archived' ? (options.archiveReasonId ?? null) : null,
      archivedAt: target.type === 'Archived' ? current.enteredStageAt : null,
      createdAt,
      updatedAt: current.enteredStageAt,
      history,
    });
    this.tenant.applications.set(application.id, application);
    candidate.applicationIds.push(application.id);
    return application;
  }

  sourceByTitle(title: string): StoredSource {
    const source = [...this.tenant.sources.values()].find((s) => s.title === title);
    if (!source) throw new Error(`Seed error: no source "${title}"`);
    return source;
  }

  archiveReasonIdByText(text: string): string {
    const reason = [...this.tenant.archiveReasons.values()].find((r) => r.text === text);
    if (!reason) throw new Error(`Seed error: no archive reason "${text}"`);
    return reason.id;
  }
}
