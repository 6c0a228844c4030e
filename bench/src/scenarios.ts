import type { Plan } from './options.js';
import type { Product } from './product.js';
import { addresses, type RowSpec, sequence } from './runner.js';

/**
 * The comparison rows. Each names the work, how many operations a run makes and with how many
 * connections, and how a product prepares a run (a fresh organization, seeded invitations) so that
 * both products do exactly the same work from the same starting state.
 */

export interface RowDefinition {
  key: string;
  title: string;
  spec: RowSpec;
}

/** Organizations seeded once per product and dialect, shared by the list rows. */
export interface ListOrganizations {
  small: Map<string, string>;
  large: Map<string, string>;
}

export function comparisonRows(plan: Plan, lists: ListOrganizations): RowDefinition[] {
  const c = plan.connections;
  const spare = (ops: number, connections: number) => ops + connections * 2 + 5;
  const fresh = (product: Product, what: string, round: number) =>
    addresses(`${what}-${product.key}-${product.dialect}-r${round}-${Date.now().toString(36)}`);
  return [
    {
      key: 'sign-up',
      title: `sign-up (c=${c})`,
      spec: {
        connections: c,
        operations: plan.ops.signUp,
        maxSeconds: plan.maxSeconds * 2,
        prepare: async (product, round) => ({
          steps: product.signUp(fresh(product, 'signup', round)),
          mailsPerOp: product.key === 'roster' ? 1 : 0,
        }),
      },
    },
    ...[1, 32].map(
      (connections): RowDefinition => ({
        key: `invite-${connections}`,
        title: `create invitation (c=${connections})`,
        spec: {
          connections,
          operations: connections === 1 ? plan.ops.inviteSerial : plan.ops.inviteConcurrent,
          maxSeconds: plan.maxSeconds,
          prepare: async (product, round) => {
            const org = await product.createOrganization(`i${connections}r${round}`);
            return { steps: product.invite(org, fresh(product, 'invite', round)), mailsPerOp: 1 };
          },
        },
      }),
    ),
    {
      key: 'list-small',
      title: `list pending, first 20 of ${plan.listSizes.small.toLocaleString('en')} (c=${c})`,
      spec: {
        connections: c,
        operations: plan.ops.list,
        maxSeconds: plan.maxSeconds,
        prepare: async (product) => ({ steps: product.listFirstPage(lists.small.get(product.key)!) }),
      },
    },
    {
      key: 'list-large',
      title: `list pending, first 20 of ${plan.listSizes.large.toLocaleString('en')} (c=${c})`,
      spec: {
        connections: c,
        operations: plan.ops.listLarge,
        maxSeconds: plan.maxSeconds,
        timeoutSeconds: 120,
        prepare: async (product) => ({ steps: product.listFirstPage(lists.large.get(product.key)!) }),
      },
    },
    {
      key: 'revoke',
      title: `revoke (c=${c})`,
      spec: {
        connections: c,
        operations: plan.ops.revoke,
        maxSeconds: plan.maxSeconds,
        prepare: async (product, round) => {
          const org = await product.createOrganization(`rv${round}`);
          const seeded = await product.seedInvitations(org, spare(plan.ops.revoke, c));
          return { steps: product.revoke(org, sequence(seeded)) };
        },
      },
    },
    {
      key: 'accept-new',
      title: `accept: new user signs up from the link (c=${c})`,
      spec: {
        connections: c,
        operations: plan.ops.acceptNew,
        maxSeconds: plan.maxSeconds * 2,
        prepare: async (product, round) => {
          const org = await product.createOrganization(`an${round}`);
          const seeded = await product.seedInvitations(org, spare(plan.ops.acceptNew, c));
          return { steps: product.acceptAsNewUser(sequence(seeded)) };
        },
      },
    },
    {
      key: 'accept-existing',
      title: `accept: existing user, signed in (c=${c})`,
      spec: {
        connections: c,
        operations: plan.ops.acceptExisting,
        maxSeconds: plan.maxSeconds,
        prepare: async (product, round) => {
          const org = await product.createOrganization(`ae${round}`);
          const seeded = await product.seedInvitees(org, spare(plan.ops.acceptExisting, c));
          return { steps: product.acceptAsExistingUser(sequence(seeded)) };
        },
      },
    },
  ];
}
