import { describe, expect, it } from 'vitest';
import { escapeHtml, singleLine } from '../../src/email/templates/layout.js';
import { renderOrganizationInvitation } from '../../src/email/templates/organization-invitation.js';
import { renderVerificationCode } from '../../src/email/templates/verification-code.js';
import { formatDateTime } from '../../src/i18n/dates.js';
import { hrefsIn } from './helpers.js';

const URL_WITH_QUERY = 'https://roster.example.test/accept-invitation?ticket=t0k&x="y"';
const EXPIRES = Date.UTC(2026, 2, 5, 14, 3);

describe('organization invitation template', () => {
  const mail = renderOrganizationInvitation({
    organizationName: 'Acme <script>alert("org")</script>\r\nBcc: victim@example.com',
    inviterName: 'Eve <script>alert(1)</script>\n',
    roleName: 'Admin',
    expiresAt: EXPIRES,
    url: URL_WITH_QUERY,
  });

  it('escapes every interpolated value in the HTML', () => {
    expect(mail.html).not.toContain('<script');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.html).toContain('Acme &lt;script&gt;alert(&quot;org&quot;)&lt;/script&gt;');
    // The link's quote cannot close the href attribute.
    expect(mail.html).toContain('ticket=t0k&amp;x=&quot;y&quot;');
  });

  it('keeps the subject on one line, free of control characters', () => {
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.subject).not.toMatch(/\p{Cc}/u);
    expect(mail.subject).toBe(
      'Eve <script>alert(1)</script> invited you to join Acme <script>alert("org")</script> Bcc: victim@example.com',
    );
  });

  it('says organization, inviter, role, link (button and plain) and the UTC expiry', () => {
    const clean = renderOrganizationInvitation({
      organizationName: 'Acme Corp',
      inviterName: 'Grace Hopper',
      roleName: 'Member',
      expiresAt: EXPIRES,
      url: 'https://roster.example.test/accept-invitation?ticket=abc',
    });
    expect(clean.subject).toBe('Grace Hopper invited you to join Acme Corp');
    expect(clean.text).toContain('Grace Hopper has invited you to join Acme Corp with the Member role.');
    expect(clean.text).toContain('\nhttps://roster.example.test/accept-invitation?ticket=abc\n');
    expect(clean.text).toContain('March 5, 2026 at 2:03 PM UTC');
    expect(clean.text).toMatch(/weren't expecting this invitation, you can ignore this email/);
    expect(clean.text).toMatch(/don't forward it/);
    // The same link as a button and as visible text.
    expect(
      hrefsIn(clean.html).filter((h) => h === 'https://roster.example.test/accept-invitation?ticket=abc'),
    ).toHaveLength(2);
    expect(clean.html).toContain('>Accept invitation</a>');
    expect(clean.html).toContain('>https://roster.example.test/accept-invitation?ticket=abc</a>');
    expect(clean.html).toContain('March 5, 2026 at 2:03 PM UTC');
    expect(clean.html).toContain('<html lang="en"');
    expect(clean.html).not.toMatch(/<img|<script|src=/i);
  });

  it('works without an inviter (Backend API invitations)', () => {
    const m = renderOrganizationInvitation({
      organizationName: 'Acme',
      inviterName: null,
      roleName: 'Member',
      expiresAt: EXPIRES,
      url: 'https://x.test/a',
    });
    expect(m.subject).toBe("You're invited to join Acme");
    expect(m.text).toContain('You have been invited to join Acme with the Member role.');
  });

  it('refuses a link that is not http(s)', () => {
    expect(() =>
      renderOrganizationInvitation({
        organizationName: 'Acme',
        inviterName: null,
        roleName: 'Member',
        expiresAt: EXPIRES,
        url: 'javascript:alert(1)',
      }),
    ).toThrow(/http or https/);
  });
});

describe('verification code template', () => {
  it('shows the code in the body, not in the subject, with the UTC expiry', () => {
    const m = renderVerificationCode({ code: '042137', expiresAt: EXPIRES });
    expect(m.subject).toBe('Your verification code');
    expect(m.text).toContain('\n042137\n');
    expect(m.html).toContain('>042137</p>');
    expect(m.text).toContain('March 5, 2026 at 2:03 PM UTC');
    expect(m.text).toMatch(/Don't share this code/);
  });
});

describe('template helpers', () => {
  it('escapeHtml covers the five special characters', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('singleLine removes line breaks, control and bidi characters, and caps length', () => {
    expect(singleLine('a\r\nb\u0000c\u2028d\u202Ee\tf')).toBe('a b c d e f');
    expect(singleLine('x'.repeat(300), 10)).toBe(`${'x'.repeat(9)}…`);
  });

  it('dates come from the one formatter (i18n/dates.ts), zone named', () => {
    const mail = renderOrganizationInvitation({
      organizationName: 'Acme',
      inviterName: null,
      roleName: 'Member',
      expiresAt: Date.UTC(2027, 11, 31, 23, 59),
      url: 'https://roster.example.test/accept-invitation?ticket=abc',
    });
    expect(mail.text).toContain(`This invitation expires on ${formatDateTime(Date.UTC(2027, 11, 31, 23, 59))}.`);
    expect(mail.text).toMatch(/December 31, 2027 at 11:59\sPM UTC/);
  });
});
