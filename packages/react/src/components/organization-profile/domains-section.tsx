'use client';
import type { OrganizationDomain } from '@roster/client';
import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useLocalization } from '../../localization/context.js';
import { useUser } from '../../use-auth.js';
import { useOrganization } from '../../use-organization.js';
import { type Appearance, classOf } from '../appearance.js';
import { Confirm } from '../confirm.js';
import { Pager } from '../pager.js';
import { Alert, Field, messageOf, Notice } from '../ui.js';
import { EnrollmentPanel, modeName, PanelActions, VerifyDomainPanel } from './domain-panels.js';
import { LoadError } from './load-error.js';

type Open = { id: string; panel: 'verify' | 'manage' | 'remove' } | null;

/**
 * The organization's verified domains (Clerk's "Verified domains" on the General page): each with
 * its verification status and enrollment mode. Holders of `org:sys_domains:manage` add one,
 * verify it by a code mailed to an address on it, choose how people from it join (optionally
 * deleting what is pending), and remove it after confirming. One panel is open at a time, under
 * its domain; focus goes into it, and back to the button that opened it when it closes.
 */
export function DomainsSection(props: { appearance: Appearance | undefined; canManage: boolean }): ReactNode {
  const { appearance, canManage } = props;
  const { organization, domains } = useOrganization({ domains: { pageSize: 10, keepPreviousData: true } });
  const { user } = useUser();
  const l = useLocalization();
  const { t } = l;
  const id = useId();
  const [adding, setAdding] = useState(false);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState<Open>(null);
  const [error, setError] = useState<string | null>(null);
  const [addError, setAddError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  /** Domains made or changed here, shown as they came back until the list has them too. */
  const [fresh, setFresh] = useState<Record<string, OrganizationDomain>>({});
  const headingRef = useRef<HTMLHeadingElement>(null);
  const addRef = useRef<HTMLButtonElement>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const buttons = useRef(new Map<string, HTMLButtonElement>());

  useEffect(() => {
    if (adding) nameRef.current?.focus();
  }, [adding]);

  const listed = domains.data.map((d) => (fresh[d.id] && fresh[d.id]!.updatedAt > d.updatedAt ? fresh[d.id]! : d));
  const shown = [...listed, ...Object.values(fresh).filter((f) => !domains.data.some((d) => d.id === f.id))];
  const ownAddress = (domain: OrganizationDomain) =>
    user?.emailAddresses.find((e) => e.verified && e.emailAddress.toLowerCase().endsWith(`@${domain.name}`))
      ?.emailAddress ?? null;

  const remember = (domain: OrganizationDomain) => setFresh((f) => ({ ...f, [domain.id]: domain }));
  const closePanel = (focusKey?: string) => {
    const from = open;
    setOpen(null);
    const key = focusKey ?? (from ? `${from.id}:${from.panel === 'remove' ? 'remove' : 'main'}` : undefined);
    requestAnimationFrame(() => (key ? buttons.current.get(key) : headingRef.current)?.focus());
  };
  const buttonRef = (key: string) => (el: HTMLButtonElement | null) => {
    if (el) buttons.current.set(key, el);
    else buttons.current.delete(key);
  };

  const onAdd = async (event: FormEvent) => {
    event.preventDefault();
    if (!organization || busy || !name.trim()) return;
    setBusy(true);
    setAddError(null);
    setNotice(null);
    try {
      const domain = await organization.createDomain(name.trim());
      remember(domain);
      setName('');
      setAdding(false);
      setNotice(
        domain.verified
          ? t('organizationProfile.createDomainPage.successMessage__verified', { domain: domain.name })
          : t('organizationProfile.createDomainPage.successMessage', { domain: domain.name }),
      );
      // Straight on to what the new domain needs: its proof, or how people from it join.
      setOpen({ id: domain.id, panel: domain.verified ? 'manage' : 'verify' });
    } catch (e) {
      setAddError(messageOf(e, l));
      nameRef.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  const remove = async (domain: OrganizationDomain) => {
    setBusy(true);
    setError(null);
    try {
      await domain.delete();
      setFresh(({ [domain.id]: _gone, ...rest }) => rest);
      setNotice(t('organizationProfile.removeDomainPage.successMessage', { domain: domain.name }));
      setOpen(null);
      requestAnimationFrame(() => headingRef.current?.focus());
    } catch (e) {
      setError(messageOf(e, l));
      closePanel();
    } finally {
      setBusy(false);
    }
  };

  const loadFailed = domains.error !== null && domains.data.length === 0;
  return (
    <section className="roster-section" aria-labelledby={`${id}-title`} data-testid="domains-section">
      <h3 id={`${id}-title`} ref={headingRef} tabIndex={-1}>
        {t('organizationProfile.domainSection.title')}
      </h3>
      <p className="roster-muted" style={{ margin: '0 0 8px' }}>
        {t('organizationProfile.domainSection.subtitle')}
      </p>
      <Notice appearance={appearance} message={notice} />
      <Alert appearance={appearance} message={error} />
      {loadFailed ? (
        <LoadError
          appearance={appearance}
          what={t('organizationProfile.domainSection.loadError')}
          error={domains.error}
          retry={domains.revalidate}
        />
      ) : domains.isLoading && shown.length === 0 ? (
        <p className="roster-muted" aria-busy="true">
          {t('organizationProfile.domainSection.loading')}
        </p>
      ) : shown.length === 0 ? (
        <p className="roster-muted">{t('organizationProfile.domainSection.empty')}</p>
      ) : (
        <ul className={classOf(appearance, 'list')} aria-labelledby={`${id}-title`} data-testid="domain-list">
          {shown.map((domain) => {
            const panel = open?.id === domain.id ? open.panel : null;
            return (
              <li
                key={domain.id}
                className={classOf(appearance, 'listItem', 'roster-member-row')}
                data-domain={domain.name}
                data-verified={domain.verified}
                data-mode={domain.enrollmentMode}
              >
                <span className="roster-grow">
                  <strong>{domain.name}</strong>{' '}
                  <span
                    className={classOf(appearance, 'badge')}
                    data-tone={domain.verified ? 'success' : 'muted'}
                    data-testid="domain-status"
                  >
                    {domain.verified
                      ? t('organizationProfile.domainSection.status__verified')
                      : t('organizationProfile.domainSection.status__unverified')}
                  </span>
                  <br />
                  <span className="roster-muted" data-testid="domain-mode">
                    {modeName(domain.enrollmentMode, l)}
                  </span>
                </span>
                {canManage && (
                  <span className="roster-actions" style={{ margin: 0 }}>
                    <button
                      ref={buttonRef(`${domain.id}:main`)}
                      type="button"
                      className={classOf(appearance, 'buttonSecondary')}
                      aria-expanded={panel === 'verify' || panel === 'manage'}
                      aria-label={t(
                        domain.verified
                          ? 'organizationProfile.domainSection.manageLabel'
                          : 'organizationProfile.domainSection.verifyLabel',
                        { domain: domain.name },
                      )}
                      onClick={() =>
                        panel === 'verify' || panel === 'manage'
                          ? closePanel()
                          : setOpen({ id: domain.id, panel: domain.verified ? 'manage' : 'verify' })
                      }
                    >
                      {domain.verified
                        ? t('organizationProfile.domainSection.menuAction__manage')
                        : t('organizationProfile.domainSection.menuAction__verify')}
                    </button>
                    <button
                      ref={buttonRef(`${domain.id}:remove`)}
                      type="button"
                      className={classOf(appearance, 'buttonSecondary', 'roster-button-danger-outline')}
                      aria-expanded={panel === 'remove'}
                      aria-label={t('organizationProfile.domainSection.removeLabel', { domain: domain.name })}
                      onClick={() => setOpen({ id: domain.id, panel: 'remove' })}
                    >
                      {t('organizationProfile.domainSection.menuAction__remove')}
                    </button>
                  </span>
                )}
                {panel && (
                  <div style={{ flexBasis: '100%', minWidth: 0 }}>
                    {panel === 'verify' ? (
                      <VerifyDomainPanel
                        appearance={appearance}
                        domain={domain}
                        suggestedAddress={ownAddress(domain)}
                        onCancel={() => closePanel()}
                        onVerified={(verified) => {
                          remember(verified);
                          setNotice(
                            t('organizationProfile.verifyDomainPage.successMessage', { domain: verified.name }),
                          );
                          setOpen({ id: verified.id, panel: 'manage' });
                        }}
                      />
                    ) : panel === 'manage' ? (
                      <EnrollmentPanel
                        appearance={appearance}
                        domain={domain}
                        onCancel={() => closePanel()}
                        onSaved={(saved) => {
                          remember(saved);
                          setNotice(
                            t('organizationProfile.verifiedDomainPage.enrollmentTab.successMessage', {
                              domain: saved.name,
                              mode: modeName(saved.enrollmentMode, l),
                            }),
                          );
                          closePanel(`${saved.id}:main`);
                        }}
                      />
                    ) : (
                      <Confirm
                        appearance={appearance}
                        danger
                        title={t('organizationProfile.removeDomainPage.title', { domain: domain.name })}
                        confirmLabel={t('organizationProfile.removeDomainPage.confirm')}
                        busyLabel={t('organizationProfile.removeDomainPage.busy')}
                        busy={busy}
                        onConfirm={() => void remove(domain)}
                        onCancel={() => closePanel()}
                      >
                        <p className="roster-muted" style={{ margin: 0 }}>
                          {t('organizationProfile.removeDomainPage.messageLine1', { domain: domain.name })}{' '}
                          {t('organizationProfile.removeDomainPage.messageLine2')}
                        </p>
                      </Confirm>
                    )}
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {!loadFailed && (
        <Pager appearance={appearance} list={domains} label={t('organizationProfile.domainSection.pagesLabel')} />
      )}
      {canManage &&
        (adding ? (
          <form
            className={classOf(appearance, 'form')}
            onSubmit={onAdd}
            aria-labelledby={`${id}-add`}
            style={{ marginTop: 12 }}
          >
            <p id={`${id}-add`} className="roster-confirm-title">
              {t('organizationProfile.createDomainPage.title')}
            </p>
            <p className="roster-muted" style={{ margin: '0 0 8px' }}>
              {t('organizationProfile.createDomainPage.subtitle')}
            </p>
            <Alert appearance={appearance} message={addError} />
            <Field
              ref={nameRef}
              appearance={appearance}
              label={t('formFieldLabel__organizationDomain')}
              name="domain"
              placeholder="example.com"
              autoComplete="off"
              spellCheck={false}
              required
              value={name}
              onChange={(e) => setName(e.target.value)}
              invalid={addError !== null}
            />
            <PanelActions
              appearance={appearance}
              busy={busy}
              label={t('organizationProfile.createDomainPage.formButton')}
              busyLabel={t('organizationProfile.createDomainPage.formButton__busy')}
              onCancel={() => {
                setAdding(false);
                setAddError(null);
                requestAnimationFrame(() => addRef.current?.focus());
              }}
            />
          </form>
        ) : (
          <button
            ref={addRef}
            type="button"
            className={classOf(appearance, 'buttonSecondary')}
            style={{ marginTop: 12 }}
            onClick={() => {
              setNotice(null);
              setAdding(true);
            }}
          >
            <span aria-hidden="true">+</span> {t('organizationProfile.domainSection.primaryButton')}
          </button>
        ))}
    </section>
  );
}
