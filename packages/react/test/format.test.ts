import { describe, expect, it } from 'vitest';
import { initialsOf } from '../src/components/avatar.js';
import { formatDate } from '../src/components/format.js';

describe('formatDate', () => {
  // 23:30 UTC on 31 December is already 1 January in Berlin.
  const instant = new Date(Date.UTC(2026, 11, 31, 23, 30));

  it("writes the date in the given locale and time zone (the user's when not given)", () => {
    expect(formatDate(instant, { locale: 'en-US', timeZone: 'UTC' })).toBe('Dec 31, 2026');
    expect(formatDate(instant, { locale: 'de-DE', timeZone: 'Europe/Berlin' })).toBe('01.01.2027');
    expect(formatDate(instant, { locale: 'en-GB', timeZone: 'UTC', time: true })).toBe('31 Dec 2026, 23:30');
    expect(formatDate(instant)).toBe(new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(instant));
  });

  it('gives nothing for an invalid date instead of "Invalid Date"', () => {
    expect(formatDate(new Date(Number.NaN))).toBe('');
  });
});

describe('initialsOf', () => {
  it('takes the first and last word of a name, or the parts of an address', () => {
    expect(initialsOf('Grace Brewster Hopper')).toBe('GH');
    expect(initialsOf('acme')).toBe('A');
    expect(initialsOf('ada.lovelace@example.com')).toBe('AL');
    expect(initialsOf('Łukasz żak')).toBe('ŁŻ');
    expect(initialsOf('')).toBe('');
  });
});
