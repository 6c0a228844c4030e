import type { EnrollmentMode } from '@roster/protocol';
import type { Kysely, Selectable } from 'kysely';
import type { OrganizationDomain, OrgDomainStore } from '../domain/org-domains/store.js';
import { guarded } from './guarded.js';
import { invitationFromRow } from './rows.js';
import type { Database } from './schema.js';

type Row = Selectable<Database['organization_domains']>;

const fromRow = (r: Row): OrganizationDomain => ({
  id: r.id,
  organizationId: r.organization_id,
  name: r.name,
  enrollmentMode: r.enrollment_mode as EnrollmentMode,
  verified: Number(r.verified) === 1,
  affiliationEmailAddress: r.affiliation_email_address,
  verificationAttempts: Number(r.verification_attempts),
  verificationExpiresAt: r.verification_expires_at === null ? null : Number(r.verification_expires_at),
  verificationCodeHash: r.verification_code_hash,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

function toColumns(d: Partial<OrganizationDomain>): Partial<Row> {
  const row: Partial<Row> = {};
  if (d.id !== undefined) row.id = d.id;
  if (d.organizationId !== undefined) row.organization_id = d.organizationId;
  if (d.name !== undefined) row.name = d.name;
  if (d.enrollmentMode !== undefined) row.enrollment_mode = d.enrollmentMode;
  if (d.verified !== undefined) row.verified = d.verified ? 1 : 0;
  if (d.affiliationEmailAddress !== undefined) row.affiliation_email_address = d.affiliationEmailAddress;
  if (d.verificationAttempts !== undefined) row.verification_attempts = d.verificationAttempts;
  if (d.verificationExpiresAt !== undefined) row.verification_expires_at = d.verificationExpiresAt;
  if (d.verificationCodeHash !== undefined) row.verification_code_hash = d.verificationCodeHash;
  if (d.createdAt !== undefined) row.created_at = d.createdAt;
  if (d.updatedAt !== undefined) row.updated_at = d.updatedAt;
  return row;
}

/** `OrgDomainStore` over Kysely, for SQLite and PostgreSQL (on a transaction's connection inside one). */
export class KyselyOrgDomainStore implements OrgDomainStore {
  constructor(private readonly db: Kysely<Database>) {}

  async createOrganizationDomain(domain: OrganizationDomain) {
    await guarded(
      this.db
        .insertInto('organization_domains')
        .values(toColumns(domain) as Row)
        .execute(),
    );
  }

  async findOrganizationDomain(orgId: string, id: string) {
    const row = await this.db
      .selectFrom('organization_domains')
      .selectAll()
      .where('organization_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? fromRow(row) : null;
  }

  async findVerifiedDomainByName(name: string) {
    const row = await this.db
      .selectFrom('organization_domains')
      .selectAll()
      .where('name', '=', name)
      .where('verified', '=', 1)
      .executeTakeFirst();
    return row ? fromRow(row) : null;
  }

  async listOrganizationDomains(options: Parameters<OrgDomainStore['listOrganizationDomains']>[0]) {
    let query = this.db.selectFrom('organization_domains');
    if (options.orgId !== undefined) query = query.where('organization_id', '=', options.orgId);
    if (options.verified !== undefined) query = query.where('verified', '=', options.verified ? 1 : 0);
    if (options.enrollmentMode !== undefined) query = query.where('enrollment_mode', '=', options.enrollmentMode);
    const [rows, count] = await Promise.all([
      query
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(options.limit)
        .offset(options.offset)
        .execute(),
      query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { data: rows.map(fromRow), totalCount: Number(count.n) };
  }

  async countOrganizationDomains(orgId: string) {
    const row = await this.db
      .selectFrom('organization_domains')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('organization_id', '=', orgId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async updateOrganizationDomain(id: string, patch: Parameters<OrgDomainStore['updateOrganizationDomain']>[1]) {
    await guarded(this.db.updateTable('organization_domains').set(toColumns(patch)).where('id', '=', id).execute());
  }

  async takeAffiliationAttempt(id: string, options: { now: number; maxAttempts: number }) {
    const row = await this.db
      .updateTable('organization_domains')
      .set((eb) => ({ verification_attempts: eb('verification_attempts', '+', 1) }))
      .where('id', '=', id)
      .where('verified', '=', 0)
      .where('verification_code_hash', 'is not', null)
      .where('verification_attempts', '<', options.maxAttempts)
      .where('verification_expires_at', '>', options.now)
      .returningAll()
      .executeTakeFirst();
    return row ? fromRow(row) : null;
  }

  async countPendingInvitationsMadeBy(domainIds: string[], now: number) {
    if (domainIds.length === 0) return new Map<string, number>();
    const rows = await this.db
      .selectFrom('invitations')
      .select((eb) => ['organization_domain_id', eb.fn.countAll<number>().as('n')])
      .where('organization_domain_id', 'in', domainIds)
      .where('status', '=', 'pending')
      .where('expires_at', '>', now)
      .groupBy('organization_domain_id')
      .execute();
    return new Map(rows.map((r) => [r.organization_domain_id as string, Number(r.n)]));
  }

  async listPendingInvitationsMadeBy(domainId: string) {
    const rows = await this.db
      .selectFrom('invitations')
      .selectAll()
      .where('organization_domain_id', '=', domainId)
      .where('status', '=', 'pending')
      .orderBy('id')
      .execute();
    return rows.map(invitationFromRow);
  }

  async listVerifiedAddressesOn(name: string) {
    // Domain names hold only letters, digits, hyphens and dots: nothing LIKE treats specially.
    const rows = await this.db
      .selectFrom('email_addresses')
      .select(['user_id', 'email'])
      .where('verified', '=', 1)
      .where('email_normalized', 'like', `%@${name}`)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ userId: r.user_id, email: r.email }));
  }

  async deleteOrganizationDomain(id: string) {
    const result = await this.db.deleteFrom('organization_domains').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
