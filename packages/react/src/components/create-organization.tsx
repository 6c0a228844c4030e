'use client';
import type { Organization } from '@roster/client';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useAppearance } from '../appearance-context.js';
import { useRosterContext } from '../context.js';
import { type Appearance, classOf } from './appearance.js';
import { Alert, Field, Header, messageOf, paramOf, Root, SubmitButton } from './ui.js';

/**
 * Props of `<CreateOrganization/>`.
 *
 * @example
 * ```tsx
 * const props: CreateOrganizationProps = { afterCreateOrganizationUrl: '/organization' };
 * ```
 */
export interface CreateOrganizationProps {
  /** Where to go once it exists. Without it (and without `onCreated`) the form just resets. */
  afterCreateOrganizationUrl?: string;
  onCreated?: (organization: Organization) => void;
  appearance?: Appearance;
  /** Render without the card (inside another component). */
  embedded?: boolean;
}

/**
 * A form that creates an organization; the signed-in user becomes its admin and it becomes the
 * active organization.
 *
 * @example
 * ```tsx
 * <CreateOrganization afterCreateOrganizationUrl="/organization" />
 * ```
 */
export function CreateOrganization(props: CreateOrganizationProps): ReactNode {
  const appearance = useAppearance(props.appearance);
  const { client, navigate } = useRosterContext('CreateOrganization');
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [error, setError] = useState<{ message: string; param: string | null } | null>(null);
  const [pending, setPending] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      const organization = await client.createOrganization({
        name: name.trim(),
        ...(slug.trim() && { slug: slug.trim() }),
      });
      props.onCreated?.(organization);
      setName('');
      setSlug('');
      setPending(false);
      if (props.afterCreateOrganizationUrl) await navigate(props.afterCreateOrganizationUrl);
    } catch (e) {
      setError({ message: messageOf(e), param: paramOf(e) });
      setPending(false);
    }
  };

  const form = (
    <form className={classOf(appearance, 'form')} onSubmit={onSubmit} aria-label="Create organization">
      <Alert appearance={appearance} message={error?.message ?? null} />
      <Field
        appearance={appearance}
        label="Organization name"
        name="name"
        required
        maxLength={256}
        value={name}
        onChange={(e) => setName(e.target.value)}
        invalid={error?.param === 'name'}
      />
      <Field
        appearance={appearance}
        label="Slug (optional)"
        name="slug"
        hint="Lowercase letters, digits and dashes; made from the name when left empty."
        value={slug}
        onChange={(e) => setSlug(e.target.value)}
        invalid={error?.param === 'slug'}
      />
      <SubmitButton appearance={appearance} busy={pending} busyLabel="Creating…" disabled={!name.trim()}>
        Create organization
      </SubmitButton>
    </form>
  );
  if (props.embedded) return form;
  return (
    <Root appearance={appearance} name="create-organization">
      <Header appearance={appearance} title="Create an organization">
        You will be its admin, and can invite people next.
      </Header>
      {form}
    </Root>
  );
}
