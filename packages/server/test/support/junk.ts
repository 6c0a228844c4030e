/** Bad input for test/bad-input.test.ts: values of the wrong type, malformed addresses, junk tokens and ids. */

/** The kinds of JSON fields, and values of every other type for each. */
export type Kind = 'string' | 'number' | 'boolean' | 'metadata' | 'string[]';
export const WRONG: Record<Kind, unknown[]> = {
  string: [42, true, [], {}, ['a']],
  number: ['7', true, [], {}],
  boolean: ['true', 1, [], {}],
  metadata: ['x', 42, true, [], [1, 2]],
  'string[]': ['a@example.test', 42, {}, [42], [null]],
};

/** Not addresses, or addresses carrying a second header line, or longer than 320 characters. */
export const BAD_EMAILS = [
  'plainaddress',
  'a@',
  '@example.test',
  'a b@example.test',
  'a@exa mple.test',
  'a@@example.test',
  '<a@example.test>',
  'Ada <a@example.test>',
  'a@example.test, b@example.test',
  'a@example.test\r\nBcc: victim@example.test',
  'a@example.test\nBcc: victim@example.test',
  'a@example.test\rBcc: victim@example.test',
  'a\r\n@example.test',
  'a@example.test\u0000',
  'a@example.test\u2028Bcc: victim@example.test',
  `${'a'.repeat(320)}@example.test`,
  `a@${'b'.repeat(330)}.test`,
];

/** Not roles: unknown names, blanks, and the names of Object.prototype's members. */
export const BAD_ROLES = [
  'owner',
  'org:owner',
  'superadmin',
  'ADMIN',
  '',
  '   ',
  'org:',
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  'valueOf',
];

/** Invitation tokens that match no invitation, with a name for the test title. */
export const JUNK_TOKENS: [string, string][] = [
  ['very long', 'x'.repeat(5000)],
  ['just over the limit', 'x'.repeat(513)],
  ['unicode', '💥'.repeat(40)],
  ['right-to-left and zero-width', '\u202e\u200bticket\u200d'],
  ['a path', '../../../etc/passwd'],
  ['SQL', "' OR '1'='1' --"],
  ['SQL union', "x' UNION SELECT token_hash FROM invitations --"],
  ['a NUL byte', 'abc\u0000def'],
  ['CRLF', 'abc\r\nSet-Cookie: __roster_session=evil'],
  ['percent signs', '%00%2e%2e%2f'],
  ['a plausible token', 'A'.repeat(43)],
];

/** Path segments (as sent, percent-encoding included) that name no record. */
export const JUNK_IDS = [
  'x'.repeat(5000),
  `orginv_${'A'.repeat(27)}`,
  encodeURIComponent('💥'),
  '%F0%9F%92%A5',
  '%2e%2e%2f%2e%2e%2fusers',
  '%2F',
  '%00',
  encodeURIComponent("1' OR '1'='1"),
  '%E0%A4%A',
  '%25',
  '%20',
];
