// Writes the demo pipeline exports in this folder and the PDF resumes they refer to.
// Run `npx tsx resources/samples/build.ts` after changing the people below; the output is
// committed, and the same input always gives the same bytes.
//
// Role titles equal the open job titles of each demo tenant, and a few people also exist in that
// tenant with differently spelled identities, so linking and deduplication show in the demo.
// Rows marked `mistake` are wrong on purpose. The import rejects them, except a row whose only
// mistake is its resume file: it is imported without a resume and the problem is reported.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'csv-stringify/sync';
import type { PipelineState } from '../../shared/domain.js';
import { CSV_COLUMNS, JSON_FORMAT_ID } from '../../core/pipeline/format.js';
import { renderResumePdf } from '../../core/pipeline/pdf.js';

interface Person {
  id: string;
  name: string;
  email?: string;
  linkedinUrl?: string;
  phone?: string;
  /** `pdf` writes resumes/<slug>.pdf, `fileName` a PDF under that name, `missing` a path never written. */
  resume?: 'pdf' | { fileName: string } | { missing: string };
  state: string;
  stateChangedAt: string;
  mistake?: string;
  /** Past jobs for the CV body. */
  history?: string[];
}

interface Role {
  id: string;
  title: string;
  people: Person[];
}

interface ClientExport {
  file: string;
  format: 'json' | 'csv';
  roles: Role[];
}

const EXPORTED_AT = '2026-12-01T08:00:00.000Z';

const NORTHWIND: ClientExport = {
  file: 'northwind-robotics.json',
  format: 'json',
  roles: [
    {
      id: 'nw-role-001',
      title: 'Senior Backend Engineer',
      people: [
        { id: 'nw-cand-001', name: 'Jane Roe', email: 'Jane.Roe@Example.COM', resume: 'pdf', state: 'intro_requested', stateChangedAt: '2026-11-20T10:15:00Z', history: ['Backend Engineer, Fjord Payments (2021-2026)', 'Software Engineer, Tallis Maps (2017-2021)'] },
        { id: 'nw-cand-002', name: 'Omar Haddad', linkedinUrl: 'http://linkedin.com/in/Omar-Haddad-Fake?trk=public_profile', resume: 'pdf', state: 'intro_completed', stateChangedAt: '2026-11-24T14:02:00Z', history: ['Staff Engineer, Corvid Freight (2020-2026)', 'Backend Developer, Quayside Labs (2015-2020)'] },
        { id: 'nw-cand-003', name: 'Priya Natarajan', email: 'priya.natarajan@example.org', resume: 'pdf', state: 'intro_requested', stateChangedAt: '2026-11-18T09:40:00Z', history: ['Senior Engineer, Lumen Grid (2019-2026)', 'Engineer, Parcel Ninja (2016-2019)'] },
        { id: 'nw-cand-004', name: 'Tobias Keller', email: 'tobias.keller@example.com', resume: 'pdf', state: 'shortlisted', stateChangedAt: '2026-11-27T16:30:00Z', history: ['Platform Engineer, Brightwell Energy (2020-2026)'] },
        { id: 'nw-cand-005', name: 'Aisha Bello', email: 'aisha.bello@example.net', linkedinUrl: 'https://www.linkedin.com/in/aisha-bello-fake', phone: '+44 20 7946 0381', resume: 'pdf', state: 'hired', stateChangedAt: '2026-11-29T11:00:00Z', history: ['Lead Engineer, Harbor Robotics (2018-2026)'] },
        { id: 'nw-cand-006', name: 'Mateo Rinaldi', email: 'mateo.rinaldi@example.com', resume: 'pdf', state: 'archived', stateChangedAt: '2026-11-15T08:20:00Z', history: ['Backend Engineer, Verdant Foods (2019-2026)'] },
        { id: 'nw-cand-007', name: 'Henrik Dahl', email: 'henrik.dahl@example', resume: 'pdf', state: 'shortlisted', stateChangedAt: '2026-11-26T12:00:00Z', mistake: 'invalid email: the domain has no dot' },
      ],
    },
    {
      id: 'nw-role-002',
      title: 'Product Designer',
      people: [
        { id: 'nw-cand-008', name: 'Sofia Lindgren', email: 'sofia.lindgren@example.org', resume: 'pdf', state: 'intro_requested', stateChangedAt: '2026-11-21T13:45:00Z', history: ['Product Designer, Kettle & Co (2019-2026)'] },
        { id: 'nw-cand-009', name: 'Kwame Asante', email: 'kwame.asante@example.com', state: 'shortlisted', stateChangedAt: '2026-11-28T09:05:00Z' },
        { id: 'nw-cand-010', name: 'Léa Fontaine', email: 'lea.fontaine@example.net', phone: '+33 1 70 36 39 50', resume: 'pdf', state: 'intro_completed', stateChangedAt: '2026-11-25T15:10:00Z', history: ['Senior UX Designer, Atelier Nord (2018-2026)'] },
        { id: 'nw-cand-011', name: 'Ravi Menon', email: 'ravi.menon@example.com', resume: 'pdf', state: 'archived', stateChangedAt: '2026-11-12T10:00:00Z', history: ['Interaction Designer, Mosaic Health (2020-2026)'] },
        { id: 'nw-cand-012', name: 'Noor Hamdan', resume: 'pdf', state: 'shortlisted', stateChangedAt: '2026-11-27T11:30:00Z', mistake: 'no email and no LinkedIn' },
        { id: 'nw-cand-013', name: 'Elif Demir', email: 'elif.demir@example.com', resume: 'pdf', state: 'interviewing', stateChangedAt: '2026-11-23T10:00:00Z', mistake: 'unknown state' },
      ],
    },
    {
      id: 'nw-role-003',
      title: 'Staff ML Engineer',
      people: [
        { id: 'nw-cand-014', name: 'Daniel Okoye', email: 'daniel.okoye@example.org', resume: 'pdf', state: 'intro_requested', stateChangedAt: '2026-11-22T17:20:00Z', history: ['ML Engineer, Sable Analytics (2018-2026)'] },
        { id: 'nw-cand-015', name: 'Ingrid Solberg', linkedinUrl: 'in/ingrid-solberg-fake', resume: 'pdf', state: 'shortlisted', stateChangedAt: '2026-11-28T14:40:00Z', history: ['Research Engineer, Polar Vision (2019-2026)'] },
        { id: 'nw-cand-016', name: 'Hiro Nakamura', email: 'hiro.nakamura@example.com', resume: 'pdf', state: 'intro_completed', stateChangedAt: '2026-11-26T09:15:00Z', history: ['Senior ML Engineer, Kiln Robotics (2017-2026)'] },
        { id: 'nw-cand-017', name: 'Carlos Vega', email: 'carlos.vega@example.com', resume: { missing: 'resumes/carlos-vega-cv.pdf' }, state: 'intro_requested', stateChangedAt: '2026-11-24T10:00:00Z', mistake: 'resume file missing' },
      ],
    },
  ],
};

const ACME: ClientExport = {
  file: 'acme-health.csv',
  format: 'csv',
  roles: [
    {
      id: 'acme-role-001',
      title: 'Full-Stack Engineer',
      people: [
        { id: 'acme-cand-001', name: 'Lucas Moreau', email: 'LUCAS.MOREAU@example.net', resume: 'pdf', state: 'intro_requested', stateChangedAt: '2026-11-19T09:00:00Z', history: ['Full-Stack Developer, Clarion Care (2020-2026)'] },
        { id: 'acme-cand-002', name: 'Grace Whitfield', email: 'grace.whitfield@example.com', resume: 'pdf', state: 'shortlisted', stateChangedAt: '2026-11-28T10:30:00Z', history: ['Software Engineer, Beacon Clinics (2021-2026)'] },
        { id: 'acme-cand-003', name: 'Arjun Kapoor', email: 'arjun.kapoor@example.org', phone: '+1 (555) 010-2233, ext. 4', resume: 'pdf', state: 'intro_completed', stateChangedAt: '2026-11-25T16:45:00Z', history: ['Senior Full-Stack Engineer, Meridian Labs (2018-2026)'] },
        { id: 'acme-cand-004', name: 'Fatima Zahra El Amrani', email: 'fatima.elamrani@example.net', resume: 'pdf', state: 'hired', stateChangedAt: '2026-11-30T12:00:00Z', history: ['Lead Developer, Orchid Pharmacy (2019-2026)'] },
        { id: 'acme-cand-005', name: 'Jonas Weber', email: 'jonas.weber@example.com', resume: 'pdf', state: 'archived', stateChangedAt: '2026-11-14T11:20:00Z', history: ['Web Engineer, Tidewater Insurance (2020-2026)'] },
        { id: 'acme-cand-006', name: 'Chloé Martin', email: 'chloe.martin@example.com', resume: 'pdf', state: 'shortlisted', stateChangedAt: '2026-11-27T08:50:00Z', history: ['Frontend Engineer, Lys Telecom (2021-2026)'] },
        { id: 'acme-cand-007', name: 'Peter Novak', email: 'peter.novak@@example.com', resume: 'pdf', state: 'intro_requested', stateChangedAt: '2026-11-26T10:00:00Z', mistake: 'invalid email: two @ signs' },
        { id: 'acme-cand-008', name: 'Dana Whitaker', resume: 'pdf', state: 'shortlisted', stateChangedAt: '2026-11-26T15:00:00Z', mistake: 'no email and no LinkedIn' },
      ],
    },
    {
      id: 'acme-role-002',
      title: 'Clinical Operations Lead',
      people: [
        { id: 'acme-cand-009', name: 'Mei Tanaka', linkedinUrl: 'in/mei-tanaka-fake', resume: 'pdf', state: 'intro_completed', stateChangedAt: '2026-11-24T13:30:00Z', history: ['Clinical Operations Manager, Seaview Hospital (2017-2026)'] },
        { id: 'acme-cand-010', name: 'Samuel Osei', email: 'samuel.osei@example.org', resume: 'pdf', state: 'intro_requested', stateChangedAt: '2026-11-22T09:10:00Z', history: ['Operations Lead, Pinecrest Clinics (2019-2026)'] },
        { id: 'acme-cand-011', name: 'Hannah Brooks', email: 'hannah.brooks@example.com', state: 'shortlisted', stateChangedAt: '2026-11-29T10:00:00Z' },
        { id: 'acme-cand-012', name: 'Laila Rahimi', email: 'laila.rahimi@example.net', resume: 'pdf', state: 'archived', stateChangedAt: '2026-11-13T14:00:00Z', history: ['Clinical Trials Coordinator, Helix Research (2018-2026)'] },
        { id: 'acme-cand-013', name: 'Victor Almeida', email: 'victor.almeida@example.com', resume: 'pdf', state: 'intro_requested', stateChangedAt: '2026-11-23T11:40:00Z', history: ['Nurse Manager, Riverside Health (2016-2026)'] },
        { id: 'acme-cand-014', name: 'Marta Kowalczyk', email: 'marta.kowalczyk@example.com', resume: 'pdf', state: 'on_hold', stateChangedAt: '2026-11-20T10:00:00Z', mistake: 'unknown state' },
        { id: 'acme-cand-015', name: 'Ben Carter', email: 'ben.carter@example.org', resume: { missing: 'resumes/ben-carter.pdf' }, state: 'shortlisted', stateChangedAt: '2026-11-27T12:00:00Z', mistake: 'resume file missing' },
        { id: 'acme-cand-010', name: 'Samuel Osei', email: 'samuel.osei@example.org', state: 'intro_completed', stateChangedAt: '2026-11-23T09:10:00Z', mistake: 'duplicate candidate id' },
      ],
    },
  ],
};

const GLOBEX: ClientExport = {
  file: 'globex-logistics.json',
  format: 'json',
  roles: [
    {
      id: 'glx-role-001',
      title: 'Warehouse Operations Manager',
      people: [
        { id: 'glx-cand-001', name: 'Ana Souza', email: 'ana.souza@example.com ', resume: 'pdf', state: 'intro_requested', stateChangedAt: '2026-11-21T10:00:00Z', history: ['Warehouse Supervisor, Atlas Distribution (2018-2026)'] },
        { id: 'glx-cand-002', name: 'Rosa Delgado', email: 'rosa.delgado@example.org', state: 'shortlisted', stateChangedAt: '2026-11-28T13:15:00Z' },
        { id: 'glx-cand-003', name: 'Emeka Obi', email: 'emeka.obi@example.com', resume: 'pdf', state: 'intro_completed', stateChangedAt: '2026-11-25T10:50:00Z', history: ['Operations Manager, Northgate Logistics (2017-2026)'] },
        { id: 'glx-cand-004', name: 'Ingrid Falk', email: 'ingrid.falk@example.net', resume: 'pdf', state: 'hired', stateChangedAt: '2026-11-30T09:00:00Z', history: ['Site Manager, Baltic Cold Chain (2016-2026)'] },
        { id: 'glx-cand-005', name: 'Pavel Horák', email: 'pavel.horak@example.com', resume: 'pdf', state: 'archived', stateChangedAt: '2026-11-16T15:30:00Z', history: ['Shift Lead, Vltava Freight (2019-2026)'] },
        { id: 'glx-cand-006', name: 'Amira Said', linkedinUrl: 'https://www.linkedin.com/in/amira-said-fake/', resume: 'pdf', state: 'shortlisted', stateChangedAt: '2026-11-27T17:00:00Z', history: ['Inventory Manager, Delta Parcel (2020-2026)'] },
        { id: 'glx-cand-007', name: 'Jorge Ruiz', phone: '+34 910 000 123', resume: 'pdf', state: 'intro_requested', stateChangedAt: '2026-11-26T09:30:00Z', mistake: 'no email and no LinkedIn' },
        { id: 'glx-cand-008', name: 'Lina Berg', email: 'lina.berg@example.com', resume: { missing: 'resumes/lina-berg-resume.pdf' }, state: 'shortlisted', stateChangedAt: '2026-11-28T08:00:00Z', mistake: 'resume file missing' },
      ],
    },
    {
      id: 'glx-role-002',
      title: 'Site Reliability Engineer',
      people: [
        { id: 'glx-cand-009', name: 'Sven Larsen', email: 'sven.larsen@example.com', resume: 'pdf', state: 'hired', stateChangedAt: '2026-11-29T16:00:00Z', history: ['SRE, Fjordline Cloud (2018-2026)'] },
        { id: 'glx-cand-010', name: 'Zoë Ångström', email: 'zoe.angstrom@example.org', resume: { fileName: 'Zoë_Ångström_CV_履歴書.pdf' }, state: 'intro_requested', stateChangedAt: '2026-11-22T12:10:00Z', history: ['Infrastructure Engineer, Nordlys Systems (2019-2026)'] },
        { id: 'glx-cand-011', name: 'Kofi Mensah', email: 'kofi.mensah@example.com', resume: 'pdf', state: 'shortlisted', stateChangedAt: '2026-11-28T11:25:00Z', history: ['DevOps Engineer, Savanna Data (2020-2026)'] },
        { id: 'glx-cand-012', name: 'Yara Haddad', email: 'yara.haddad@example.net', resume: 'pdf', state: 'intro_completed', stateChangedAt: '2026-11-25T14:35:00Z', history: ['Reliability Engineer, Cedar Networks (2018-2026)'] },
        { id: 'glx-cand-013', name: 'Lukas Brandt', email: 'lukas.brandt@example.com', resume: 'pdf', state: 'archived', stateChangedAt: '2026-11-11T10:45:00Z', history: ['Systems Engineer, Rhein Rail (2017-2026)'] },
        { id: 'glx-cand-014', name: 'Nadia Petrova', email: 'nadia.petrova@example', resume: 'pdf', state: 'intro_requested', stateChangedAt: '2026-11-26T13:00:00Z', mistake: 'invalid email: the domain has no dot' },
        { id: 'glx-cand-015', name: 'Tom Eriksen', email: 'tom.eriksen@example.com', resume: 'pdf', state: 'rejected', stateChangedAt: '2026-11-19T09:45:00Z', mistake: 'unknown state' },
      ],
    },
  ],
};

const EXPORTS = [NORTHWIND, ACME, GLOBEX];

function slug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function resumePath(person: Person): string | undefined {
  const resume = person.resume;
  if (resume === undefined) return undefined;
  if (resume === 'pdf') return `resumes/${slug(person.name)}.pdf`;
  return 'missing' in resume ? resume.missing : `resumes/${resume.fileName}`;
}

function resumeBody(person: Person, role: Role) {
  const contact = [person.email?.trim().toLowerCase(), person.phone, person.linkedinUrl].filter(
    (value): value is string => typeof value === 'string',
  );
  return {
    name: person.name,
    headline: `Candidate for ${role.title}`,
    contact,
    sections: [
      { title: 'Experience', lines: person.history ?? ['Eight years in the field.'] },
      { title: 'Skills', lines: [`Relevant to ${role.title}: planning, delivery, mentoring, clear written communication.`] },
      { title: 'Education', lines: ['BSc, State University (fictional)'] },
    ],
  };
}

async function writeResume(folder: string, person: Person, role: Role): Promise<void> {
  const relative = resumePath(person);
  if (relative === undefined || (typeof person.resume === 'object' && 'missing' in person.resume)) return;
  const target = path.join(folder, relative);
  await writeFile(target, renderResumePdf(resumeBody(person, role)));
}

function jsonDocument(client: ClientExport): string {
  const roles = client.roles.map((role) => ({
    id: role.id,
    title: role.title,
    candidates: role.people.map((person) => {
      const entry: Record<string, string> = { id: person.id, name: person.name };
      if (person.email !== undefined) entry.email = person.email;
      if (person.linkedinUrl !== undefined) entry.linkedinUrl = person.linkedinUrl;
      if (person.phone !== undefined) entry.phone = person.phone;
      const resume = resumePath(person);
      if (resume !== undefined) entry.resume = resume;
      entry.state = person.state;
      entry.stateChangedAt = person.stateChangedAt;
      return entry;
    }),
  }));
  return `${JSON.stringify({ format: JSON_FORMAT_ID, exportedAt: EXPORTED_AT, roles }, null, 2)}\n`;
}

// Written with a byte order mark and CRLF line ends, as spreadsheet programs save CSV.
function csvDocument(client: ClientExport): string {
  const rows = client.roles.flatMap((role) =>
    role.people.map((person) => [
      role.id,
      role.title,
      person.id,
      person.name,
      person.email ?? '',
      person.linkedinUrl ?? '',
      person.phone ?? '',
      resumePath(person) ?? '',
      person.state,
      person.stateChangedAt,
    ]),
  );
  return `\uFEFF${stringify([[...CSV_COLUMNS], ...rows], { record_delimiter: 'windows' })}`;
}

async function main(): Promise<void> {
  const folder = path.dirname(fileURLToPath(import.meta.url));
  await mkdir(path.join(folder, 'resumes'), { recursive: true });
  for (const client of EXPORTS) {
    for (const role of client.roles) {
      for (const person of role.people) await writeResume(folder, person, role);
    }
    const text = client.format === 'json' ? jsonDocument(client) : csvDocument(client);
    await writeFile(path.join(folder, client.file), text, 'utf8');
  }
}

await main();
