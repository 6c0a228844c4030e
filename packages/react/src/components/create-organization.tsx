'use client';
import type { Organization } from '@roster/client';
import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useAppearance } from '../appearance-context.js';
import { useRosterContext } from '../context.js';
import { useLocalization } from '../localization/context.js';
import { type Appearance, classOf } from './appearance.js';
import { InviteMembersForm } from './invite-members-form.js';
import { Alert, Field, Header, messageOf, paramOf, Root, SubmitButton } from './ui.js';

/**
 * Props of `<CreateOrganization/>`.
 *
 * @example
 * ```tsx
 * const props: CreateOrganizationProps = { afterCreateOrganizationUrl: '/organization', skipInvitationScreen: true };
 * ```
 */
export interface CreateOrganizationProps {
  /**
   * Where to go once it exists and the invite step is done (or skipped). Without it (and without
   * `onComplete`) the form starts again.
   */
  afterCreateOrganizationUrl?: string;
  /** As soon as the organization exists (before the invite step). */
  onCreated?: (organization: Organization) => void;
  /** When the flow ends: invitations sent and Finish, Skip, or no invite step. */
  onComplete?: (organization: Organization) => void;
  /**
   * Leave out the step that invites people once the organization exists. By default (as Clerk's)
   * it is left out only when the organization can hold one member.
   */
  skipInvitationScreen?: boolean;
  /** No slug field (the server derives the slug from the name). */
  hideSlug?: boolean;
  appearance?: Appearance;
  /** Render without the card (inside another component). */
  embedded?: boolean;
}

type Step = { name: 'create' } | { name: 'invite' | 'done'; organization: Organization };

/**
 * Creates an organization (the signed-in user becomes its admin and it becomes the active
 * organization), then offers to invite people to it by email with a role, as Clerk's does.
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
  const [step, setStep] = useState<Step>({ name: 'create' });
  const l = useLocalization();
  const { t } = l;
  const headingId = useId();
  const addressesRef = useRef<HTMLTextAreaElement>(null);
  const finishRef = useRef<HTMLButtonElement>(null);

  // Each step starts where the keyboard needs to be: the address box, then Finish.
  useEffect(() => {
    if (step.name === 'invite') addressesRef.current?.focus();
    else if (step.name === 'done') finishRef.current?.focus();
  }, [step.name]);

  const finish = async (organization: Organization) => {
    props.onComplete?.(organization);
    setStep({ name: 'create' });
    if (props.afterCreateOrganizationUrl) await navigate(props.afterCreateOrganizationUrl);
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      const organization = await client.createOrganization({
        name: name.trim(),
        ...(!props.hideSlug && slug.trim() && { slug: slug.trim() }),
      });
      props.onCreated?.(organization);
      setName('');
      setSlug('');
      setPending(false);
      const skip = props.skipInvitationScreen ?? organization.maxAllowedMemberships === 1;
      if (skip) await finish(organization);
      else setStep({ name: 'invite', organization });
    } catch (e) {
      setError({ message: messageOf(e, l), param: paramOf(e) });
      setPending(false);
    }
  };

  if (step.name !== 'create') {
    const { organization } = step;
    const Heading = props.embedded ? 'h3' : 'h2';
    const body = (
      <section aria-labelledby={headingId}>
        <div className={classOf(appearance, 'header')}>
          <Heading id={headingId}>
            {step.name === 'invite'
              ? t('createOrganization.invitePage.title')
              : t('createOrganization.invitePage.title__done')}
          </Heading>
          <p>
            {step.name === 'invite'
              ? t('createOrganization.invitePage.subtitle', { organizationName: organization.name })
              : t('createOrganization.invitePage.subtitle__done', { organizationName: organization.name })}
          </p>
        </div>
        {step.name === 'invite' ? (
          <InviteMembersForm
            appearance={appearance}
            organization={organization}
            labelledBy={headingId}
            addressesRef={addressesRef}
            onInvited={() => setStep({ name: 'done', organization })}
          >
            <button
              type="button"
              className={classOf(appearance, 'buttonSecondary')}
              style={{ marginTop: 6, flex: '0 0 auto', minWidth: 0 }}
              onClick={() => void finish(organization)}
            >
              {t('createOrganization.invitePage.formButtonReset')}
            </button>
          </InviteMembersForm>
        ) : (
          <button
            ref={finishRef}
            type="button"
            className={classOf(appearance, 'button')}
            onClick={() => void finish(organization)}
          >
            {t('createOrganization.invitePage.formButtonPrimary__finish')}
          </button>
        )}
      </section>
    );
    return props.embedded ? (
      body
    ) : (
      <Root appearance={appearance} name="create-organization">
        {body}
      </Root>
    );
  }

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
      {!props.hideSlug && (
        <Field
          appearance={appearance}
          label={t('formFieldLabel__organizationSlug')}
          name="slug"
          hint={t('formFieldHintText__slug')}
          value={slug}
          onChange={(e) => setSlug(e.target.value)}
          invalid={error?.param === 'slug'}
        />
      )}
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
