/**
 * The words of every mail, per language (decision 039). `fr` is typed as the whole English shape,
 * so a mail cannot miss a French sentence; `{x}` placeholders are filled by `fill` (with escaped
 * values where the text goes into HTML).
 */
const en = {
  codeExpiry: 'The code expires on {expires}.',
  organizationInvitation: {
    anOrganization: 'an organization',
    member: 'Member',
    subject: '{inviter} invited you to join {org}',
    subjectNoInviter: "You're invited to join {org}",
    lead: '{inviter} has invited you to join {org} with the {role} role.',
    leadNoInviter: 'You have been invited to join {org} with the {role} role.',
    expiry: 'This invitation expires on {expires}.',
    ignore:
      "If you weren't expecting this invitation, you can ignore this email. Please don't forward it: the link is meant for you alone.",
    accept: 'Accept the invitation:',
    heading: 'Join {org}',
    button: 'Accept invitation',
    copy: 'Or copy this link into your browser:',
  },
  appInvitation: {
    ourApp: 'our app',
    subject: "You're invited to {site}",
    lead: 'You have been invited to create an account on {site}.',
    expiry: 'This invitation expires on {expires}.',
    ignore:
      "If you weren't expecting this invitation, you can ignore this email. Please don't forward it: the link is meant for you alone.",
    accept: 'Accept the invitation:',
    button: 'Accept invitation',
    copy: 'Or copy this link into your browser:',
  },
  verificationCode: {
    subject: 'Your verification code',
    heading: 'Verify your email address',
    leadSignUp: 'Enter this code to finish creating your account:',
    leadAddAddress: 'Enter this code to add this email address to your account:',
    ignoreSignUp: "If you didn't try to sign up, you can ignore this email. Don't share this code with anyone.",
    ignoreAddAddress:
      "If you didn't try to add this address, you can ignore this email. Don't share this code with anyone.",
  },
  passwordResetCode: {
    subject: 'Your password reset code',
    heading: 'Reset your password',
    lead: 'Someone asked to reset the password of your account. Enter this code to choose a new one:',
    ignore:
      "If you didn't ask for this, ignore this email: your password stays as it is. Don't share this code with anyone.",
  },
  domainAffiliationCode: {
    subject: 'Your domain verification code',
    heading: 'Verify {domain}',
    lead: 'Enter this code to verify that {org} may claim the domain {domain}:',
    ignore: "If you didn't ask to verify this domain, you can ignore this email. Don't share this code with anyone.",
  },
  primaryEmailChanged: {
    ourApp: 'our app',
    subject: 'Your primary email address was changed',
    lead: 'On {changed}, the primary email address of your account on {site} was changed. This address is no longer part of the account.',
    ignore: "If you made this change, there is nothing to do. If you didn't, contact the site's administrators.",
  },
  membershipRequest: {
    anOrganization: 'your organization',
    someone: 'Someone',
    subject: '{requester} asked to join {org}',
    lead: '{requester} ({email}) asked to join {org}. Their address is on one of the organization’s verified domains.',
    review: 'To accept or reject the request, open the organization’s members and choose Requests.',
    ignore: 'You receive this email because you manage the members of {org}.',
  },
};

export type MailWords = typeof en;

const fr: MailWords = {
  codeExpiry: 'Le code expire le {expires}.',
  organizationInvitation: {
    anOrganization: 'une organisation',
    member: 'Membre',
    subject: '{inviter} vous invite à rejoindre {org}',
    subjectNoInviter: 'Vous êtes invité à rejoindre {org}',
    lead: '{inviter} vous invite à rejoindre {org} avec le rôle {role}.',
    leadNoInviter: 'Vous êtes invité à rejoindre {org} avec le rôle {role}.',
    expiry: 'Cette invitation expire le {expires}.',
    ignore:
      'Si vous n’attendiez pas cette invitation, vous pouvez ignorer cet e-mail. Ne le transférez pas : le lien n’est destiné qu’à vous.',
    accept: 'Accepter l’invitation :',
    heading: 'Rejoindre {org}',
    button: 'Accepter l’invitation',
    copy: 'Ou copiez ce lien dans votre navigateur :',
  },
  appInvitation: {
    ourApp: 'notre application',
    subject: 'Vous êtes invité sur {site}',
    lead: 'Vous êtes invité à créer un compte sur {site}.',
    expiry: 'Cette invitation expire le {expires}.',
    ignore:
      'Si vous n’attendiez pas cette invitation, vous pouvez ignorer cet e-mail. Ne le transférez pas : le lien n’est destiné qu’à vous.',
    accept: 'Accepter l’invitation :',
    button: 'Accepter l’invitation',
    copy: 'Ou copiez ce lien dans votre navigateur :',
  },
  verificationCode: {
    subject: 'Votre code de vérification',
    heading: 'Vérifiez votre adresse e-mail',
    leadSignUp: 'Saisissez ce code pour terminer la création de votre compte :',
    leadAddAddress: 'Saisissez ce code pour ajouter cette adresse e-mail à votre compte :',
    ignoreSignUp:
      'Si vous n’avez pas essayé de vous inscrire, vous pouvez ignorer cet e-mail. Ne communiquez ce code à personne.',
    ignoreAddAddress:
      'Si vous n’avez pas essayé d’ajouter cette adresse, vous pouvez ignorer cet e-mail. Ne communiquez ce code à personne.',
  },
  passwordResetCode: {
    subject: 'Votre code de réinitialisation du mot de passe',
    heading: 'Réinitialisez votre mot de passe',
    lead: 'Quelqu’un a demandé à réinitialiser le mot de passe de votre compte. Saisissez ce code pour en choisir un nouveau :',
    ignore:
      'Si vous n’êtes pas à l’origine de cette demande, ignorez cet e-mail : votre mot de passe reste inchangé. Ne communiquez ce code à personne.',
  },
  domainAffiliationCode: {
    subject: 'Votre code de vérification du domaine',
    heading: 'Vérifiez {domain}',
    lead: 'Saisissez ce code pour confirmer que {org} peut revendiquer le domaine {domain} :',
    ignore:
      'Si vous n’avez pas demandé à vérifier ce domaine, vous pouvez ignorer cet e-mail. Ne communiquez ce code à personne.',
  },
  primaryEmailChanged: {
    ourApp: 'notre application',
    subject: 'Votre adresse e-mail principale a été changée',
    lead: 'Le {changed}, l’adresse e-mail principale de votre compte sur {site} a été changée. Cette adresse ne fait plus partie du compte.',
    ignore:
      'Si vous êtes à l’origine de ce changement, vous n’avez rien à faire. Sinon, contactez les administrateurs du site.',
  },
  membershipRequest: {
    anOrganization: 'votre organisation',
    someone: 'Quelqu’un',
    subject: '{requester} demande à rejoindre {org}',
    lead: '{requester} ({email}) demande à rejoindre {org}. Son adresse est sur l’un des domaines vérifiés de l’organisation.',
    review: 'Pour accepter ou refuser la demande, ouvrez les membres de l’organisation et choisissez Demandes.',
    ignore: 'Vous recevez cet e-mail parce que vous gérez les membres de {org}.',
  },
};

const WORDS = { en, fr } as const;
export type MailLanguage = keyof typeof WORDS;

/** The mail's language for a locale: French for `fr`, `fr-FR`, `fr-CA`…; English otherwise. */
export const mailLanguage = (locale: string | undefined | null): MailLanguage =>
  locale && /^fr\b/i.test(locale) ? 'fr' : 'en';

/** The words of a language. */
export const wordsOf = (language: MailLanguage): MailWords => WORDS[language];

/** Fills `{name}` placeholders; unknown ones stay as written. */
export const fill = (template: string, values: Record<string, string>): string =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
