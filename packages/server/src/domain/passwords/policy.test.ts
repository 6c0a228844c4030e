import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { checkPassword, isCommonPassword, requireAcceptablePassword } from './policy.js';

describe('password policy', () => {
  it('knows the common passwords of the offline list, whatever their case', () => {
    expect(isCommonPassword('password')).toBe(true);
    expect(isCommonPassword('PassWord')).toBe(true);
    expect(isCommonPassword('qwertyuiop')).toBe(true);
    expect(isCommonPassword('correct horse battery staple')).toBe(false);
  });

  it('judges length first (in characters, not bytes), then the lists', async () => {
    expect(await checkPassword({}, 'short')).toBe('too_short');
    expect(await checkPassword({}, 'ééééééé')).toBe('too_short');
    expect(await checkPassword({}, 'iloveyou1')).toBe('pwned');
    expect(await checkPassword({}, 'a long and unusual one')).toBe('ok');
  });

  it('asks the remote check only for passwords the offline list lets through', async () => {
    const asked: string[] = [];
    const breachedPasswords = {
      isBreached: async (p: string) => {
        asked.push(p);
        return p === 'breached but long';
      },
    };
    expect(await checkPassword({ breachedPasswords }, 'password1')).toBe('pwned');
    expect(await checkPassword({ breachedPasswords }, 'breached but long')).toBe('pwned');
    expect(await checkPassword({ breachedPasswords }, 'fine and long enough')).toBe('ok');
    expect(asked).toEqual(['breached but long', 'fine and long enough']);
  });

  it('throws the table codes, naming the parameter', async () => {
    const error = await requireAcceptablePassword({}, 'password123', 'new_password').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'form_password_pwned', meta: { param_name: 'new_password' } });
    await expect(requireAcceptablePassword({}, 'abc')).rejects.toMatchObject({
      code: 'form_password_length_too_short',
    });
  });
});
