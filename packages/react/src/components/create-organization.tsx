'use client';
import type { Organization } from '@roster/client';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useAppearance } from '../appearance-context.js';
import { useRosterContext } from '../context.js';
import { useLocalization } from '../localization/context.js';
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
  const l = useLocalization();
  const { t } = l;

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
      setError({ message: messageOf(e, l), param: paramOf(e) });
      setPending(false);
    }
  };

  const form = (
    <form
      className={classOf(appearance, 'form')}
      onSubmit={onSubmit}
      aria-label={t('createOrganization.formButtonSubmit')}
    >
      <Alert appearance={appearance} message={error?.message ?? null} />
      <Field
        appearance={appearance}
        label={t('formFieldLabel__organizationName')}
        name="name"
        required
        maxLength={256}
        value={name}
        onChange={(e) => setName(e.target.value)}
        invalid={error?.param === 'name'}
      />
      <Field
        appearance={appearance}
        label={t('formFieldLabel__organizationSlug')}
        name="slug"
        hint={t('formFieldHintText__slug')}
        value={slug}
        onChange={(e) => setSlug(e.target.value)}
        invalid={error?.param === 'slug'}
      />
      <SubmitButton
        appearance={appearance}
        busy={pending}
        busyLabel={t('createOrganization.formButtonSubmit__busy')}
        disabled={!name.trim()}
      >
        {t('createOrganization.formButtonSubmit')}
      </SubmitButton>
    </form>
  );
  if (props.embedded) return form;
  return (
    <Root appearance={appearance} name="create-organization">
      <Header appearance={appearance} title={t('createOrganization.title')}>
        {t('createOrganization.subtitle')}
      </Header>
      {form}
    </Root>
  );
}
