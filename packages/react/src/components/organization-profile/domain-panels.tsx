'use client';
import type { EnrollmentMode, OrganizationDomain } from '@roster/client';
import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useLocalization } from '../../localization/context.js';
import type { LocalizationKey, Localizer } from '../../localization/localizer.js';
import { type Appearance, classOf } from '../appearance.js';
import { Alert, CodeField, Field, messageOf } from '../ui.js';

const MODES: readonly EnrollmentMode[] = ['manual_invitation', 'automatic_invitation', 'automatic_suggestion'];
const MODE_KEYS: Record<
  EnrollmentMode,
  { label: LocalizationKey; description: LocalizationKey; badge: LocalizationKey }
> = {
  manual_invitation: {
    label: 'organizationProfile.verifiedDomainPage.enrollmentTab.manualInvitationOption__label',
    description: 'organizationProfile.verifiedDomainPage.enrollmentTab.manualInvitationOption__description',
    badge: 'badge__manualInvitation',
  },
  automatic_invitation: {
    label: 'organizationProfile.verifiedDomainPage.enrollmentTab.automaticInvitationOption__label',
    description: 'organizationProfile.verifiedDomainPage.enrollmentTab.automaticInvitationOption__description',
    badge: 'badge__automaticInvitation',
  },
  automatic_suggestion: {
    label: 'organizationProfile.verifiedDomainPage.enrollmentTab.automaticSuggestionOption__label',
    description: 'organizationProfile.verifiedDomainPage.enrollmentTab.automaticSuggestionOption__description',
    badge: 'badge__automaticSuggestion',
  },
};

/** A form's main button beside Cancel, not the full-width one of a page's form. */
const INLINE_BUTTON = { width: 'auto', marginTop: 0 } as const;

/**
 * A panel's buttons: its action (the busy label while it runs) beside Cancel, both their own
 * width. `disabled` holds it back while another action of the panel runs.
 */
export function PanelActions(props: {
  appearance: Appearance | undefined;
  busy: boolean;
  disabled?: boolean;
  label: string;
  busyLabel: string;
  onCancel: () => void;
}): ReactNode {
  const { t } = useLocalization();
  return (
    <div className="roster-actions">
      <button
        type="submit"
        className={classOf(props.appearance, 'button')}
        style={INLINE_BUTTON}
        aria-disabled={props.busy || props.disabled || undefined}
      >
        {props.busy ? props.busyLabel : props.label}
      </button>
      <button type="button" className={classOf(props.appearance, 'buttonSecondary')} onClick={props.onCancel}>
        {t('formButtonReset')}
      </button>
    </div>
  );
}

/** The enrollment mode as people read it ("Automatic suggestions"). */
export const modeName = (mode: EnrollmentMode, { t }: Localizer): string => t(MODE_KEYS[mode].badge);

/** Whether a code was sent and still works, so the panel can start at the code step. */
const codeOutstanding = (domain: OrganizationDomain): boolean =>
  domain.verification?.status === 'unverified' &&
  domain.affiliationEmailAddress !== null &&
  (domain.verification.expiresAt === null || domain.verification.expiresAt.getTime() > Date.now());

/**
 * Proving a domain (Clerk's affiliation verification): an address on it gets a six-digit code,
 * which verifies the domain. Takes focus when it opens; `onVerified` moves on to the enrollment
 * options.
 */
export function VerifyDomainPanel(props: {
  appearance: Appearance | undefined;
  domain: OrganizationDomain;
  /** The signed-in user's address, offered when it is on the domain. */
  suggestedAddress: string | null;
  onVerified: (domain: OrganizationDomain) => void;
  onCancel: () => void;
}): ReactNode {
  const { appearance, domain } = props;
  const l = useLocalization();
  const { t } = l;
  const [step, setStep] = useState<'address' | 'code'>(codeOutstanding(domain) ? 'code' : 'address');
  const [address, setAddress] = useState(domain.affiliationEmailAddress ?? props.suggestedAddress ?? '');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState<'send' | 'verify' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const addressRef = useRef<HTMLInputElement>(null);
  const codeRef = useRef<HTMLInputElement>(null);
  const titleId = useId();

  useEffect(() => {
    (step === 'address' ? addressRef : codeRef).current?.focus();
  }, [step]);

  const send = async (event?: FormEvent) => {
    event?.preventDefault();
    if (busy) return;
    const wanted = address.trim();
    if (!wanted.toLowerCase().endsWith(`@${domain.name}`)) {
      setError(t('organizationProfile.verifyDomainPage.wrongDomain', { domain: domain.name }));
      addressRef.current?.focus();
      return;
    }
    setBusy('send');
    setError(null);
    try {
      await domain.prepareAffiliationVerification({ affiliationEmailAddress: wanted });
      setNotice(
        step === 'code' ? t('organizationProfile.verifyDomainPage.codeResent', { emailAddress: wanted }) : null,
      );
      setCode('');
      setStep('code');
      codeRef.current?.focus();
    } catch (e) {
      setError(messageOf(e, l));
    } finally {
      setBusy(null);
    }
  };

  const verify = async (event: FormEvent) => {
    event.preventDefault();
    if (busy || code.length !== 6) return;
    setBusy('verify');
    setError(null);
    setNotice(null);
    try {
      await domain.attemptAffiliationVerification({ code });
      setBusy(null);
      props.onVerified(domain);
    } catch (e) {
      setError(messageOf(e, l));
      setBusy(null);
      codeRef.current?.focus();
    }
  };

  const sentTo = domain.affiliationEmailAddress ?? address.trim();
  return (
    <section className="roster-confirm" aria-labelledby={titleId} data-testid="verify-domain">
      <p id={titleId} className="roster-confirm-title">
        {t('organizationProfile.verifyDomainPage.title', { domain: domain.name })}
      </p>
      <Alert appearance={appearance} message={error} />
      {notice && (
        <p role="status" className="roster-muted" style={{ margin: '0 0 8px' }}>
          {notice}
        </p>
      )}
      {step === 'address' ? (
        <form className={classOf(appearance, 'form')} onSubmit={send} aria-labelledby={titleId}>
          <p className="roster-muted" style={{ margin: '0 0 8px' }}>
            {t('organizationProfile.verifyDomainPage.subtitle', { domain: domain.name })}
          </p>
          <Field
            ref={addressRef}
            appearance={appearance}
            label={t('formFieldLabel__organizationDomainEmailAddress')}
            hint={t('formFieldLabel__organizationDomainEmailAddressDescription', { domain: domain.name })}
            type="email"
            name="affiliation_email_address"
            autoComplete="email"
            placeholder={`name@${domain.name}`}
            required
            value={address}
            onChange={(e) => setAddress(e.target.value)}
            invalid={error !== null}
          />
          <PanelActions
            appearance={appearance}
            busy={busy === 'send'}
            disabled={busy !== null}
            label={t('organizationProfile.verifyDomainPage.formButton__send')}
            busyLabel={t('organizationProfile.verifyDomainPage.formButton__send__busy')}
            onCancel={props.onCancel}
          />
        </form>
      ) : (
        <form className={classOf(appearance, 'form')} onSubmit={verify} aria-labelledby={titleId}>
          <p className="roster-muted" style={{ margin: '0 0 8px' }}>
            {t('organizationProfile.verifyDomainPage.subtitleVerificationCodeScreen', { emailAddress: sentTo })}
          </p>
          <CodeField ref={codeRef} appearance={appearance} value={code} onChange={setCode} invalid={error !== null} />
          <PanelActions
            appearance={appearance}
            busy={busy === 'verify'}
            disabled={busy !== null}
            label={t('organizationProfile.verifyDomainPage.formButton__verify')}
            busyLabel={t('organizationProfile.verifyDomainPage.formButton__verify__busy')}
            onCancel={props.onCancel}
          />
          <p className="roster-muted" style={{ margin: '8px 0 0', display: 'flex', flexWrap: 'wrap', gap: 12 }}>
            <button type="button" className="roster-link" onClick={() => void send()}>
              {t('organizationProfile.verifyDomainPage.resendButton')}
            </button>
            <button
              type="button"
              className="roster-link"
              onClick={() => {
                setError(null);
                setNotice(null);
                setStep('address');
              }}
            >
              {t('organizationProfile.verifyDomainPage.action__useAnotherAddress')}
            </button>
          </p>
        </form>
      )}
    </section>
  );
}

/**
 * How people with an address on a verified domain join (Clerk's enrollment options), with
 * "Delete pending invitations and suggestions" for what the current mode already made.
 */
export function EnrollmentPanel(props: {
  appearance: Appearance | undefined;
  domain: OrganizationDomain;
  onSaved: (domain: OrganizationDomain) => void;
  onCancel: () => void;
}): ReactNode {
  const { appearance, domain } = props;
  const l = useLocalization();
  const { t } = l;
  const [mode, setMode] = useState<EnrollmentMode>(domain.enrollmentMode);
  const [deletePending, setDeletePending] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const firstRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    firstRef.current?.focus();
  }, []);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await domain.updateEnrollmentMode({ enrollmentMode: mode, deletePending });
      setBusy(false);
      props.onSaved(domain);
    } catch (e) {
      setError(messageOf(e, l));
      setBusy(false);
    }
  };

  const pending = domain.totalPendingInvitations + domain.totalPendingSuggestions;
  return (
    <section className="roster-confirm" aria-labelledby={`${id}-title`} data-testid="domain-enrollment">
      <p id={`${id}-title`} className="roster-confirm-title">
        {t('organizationProfile.verifiedDomainPage.title', { domain: domain.name })}
      </p>
      <Alert appearance={appearance} message={error} />
      <form onSubmit={save} aria-labelledby={`${id}-title`}>
        <fieldset
          style={{ display: 'block', border: 0, margin: 0, padding: 0, minWidth: 0 }}
          aria-describedby={`${id}-subtitle`}
        >
          <legend className={classOf(appearance, 'label')} style={{ padding: 0 }}>
            {t('organizationProfile.verifiedDomainPage.enrollmentTab.legend')}
          </legend>
          <p id={`${id}-subtitle`} className="roster-muted" style={{ margin: '0 0 8px' }}>
            {t('organizationProfile.verifiedDomainPage.enrollmentTab.subtitle')}
          </p>
          {MODES.map((each) => (
            <label key={each} className="roster-check" style={{ alignItems: 'flex-start', margin: '0 0 10px' }}>
              <input
                // Focus lands on the mode in use, where a radio group's arrow keys start.
                ref={each === domain.enrollmentMode ? firstRef : undefined}
                type="radio"
                name={`${id}-mode`}
                value={each}
                checked={mode === each}
                onChange={() => setMode(each)}
                aria-describedby={`${id}-${each}`}
                style={{ marginTop: 4 }}
              />
              <span>
                <strong>{t(MODE_KEYS[each].label)}</strong>
                <br />
                <span id={`${id}-${each}`} className="roster-muted">
                  {t(MODE_KEYS[each].description)}
                </span>
              </span>
            </label>
          ))}
        </fieldset>
        <p className="roster-muted" style={{ margin: '0 0 4px' }}>
          {t('organizationProfile.verifiedDomainPage.enrollmentTab.calloutInfoLabel')}
          {domain.totalPendingInvitations > 0 && (
            <>
              {' '}
              {l.count(
                'organizationProfile.verifiedDomainPage.enrollmentTab.calloutInvitationCountLabel',
                domain.totalPendingInvitations,
              )}
            </>
          )}
          {domain.totalPendingSuggestions > 0 && (
            <>
              {' '}
              {l.count(
                'organizationProfile.verifiedDomainPage.enrollmentTab.calloutSuggestionCountLabel',
                domain.totalPendingSuggestions,
              )}
            </>
          )}
        </p>
        <label className="roster-check">
          <input
            type="checkbox"
            name="delete_pending"
            checked={deletePending}
            onChange={(e) => setDeletePending(e.target.checked)}
            data-pending={pending}
          />
          {t('formFieldLabel__organizationDomainDeletePending')}
        </label>
        <PanelActions
          appearance={appearance}
          busy={busy}
          label={t('organizationProfile.verifiedDomainPage.enrollmentTab.formButton__save')}
          busyLabel={t('organizationProfile.verifiedDomainPage.enrollmentTab.formButton__save__busy')}
          onCancel={props.onCancel}
        />
      </form>
    </section>
  );
}
