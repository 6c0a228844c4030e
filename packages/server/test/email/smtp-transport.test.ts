import { describe, expect, it, vi } from 'vitest';
import { PermanentMailError } from '../../src/email/render.js';
import { type OutgoingMail, smtpTransport } from '../../src/email/transports.js';
import { recipients, startSmtp } from '../support/smtp.js';

const mail = (i: number): OutgoingMail => ({
  from: 'Roster <no-reply@roster.test>',
  to: `person${i}@example.com`,
  subject: `Message ${i}`,
  text: `Hello ${i}`,
  html: `<p>Hello ${i}</p>`,
  messageId: `<msg${i}@roster>`,
});

describe('SMTP transport', () => {
  it('reuses its connections while mail flows and lets them go once idle', async () => {
    const smtp = await startSmtp();
    const transport = smtpTransport(smtp.url, { idleMs: 50 });
    try {
      for (let i = 0; i < 5; i++) await transport.send(mail(i));
      expect(smtp.messages.map((m) => recipients(m)[0])).toEqual([0, 1, 2, 3, 4].map((i) => `person${i}@example.com`));
      expect(smtp.messages.map((m) => m.messageId)).toEqual([0, 1, 2, 3, 4].map((i) => `<msg${i}@roster>`));
      expect(smtp.connectionsOpened()).toBe(1);

      await vi.waitFor(() => expect(smtp.openConnections()).toBe(0));
      await transport.send(mail(5));
      expect(smtp.connectionsOpened()).toBe(2);
    } finally {
      transport.close();
      await smtp.close();
    }
  });

  it('sends concurrently over at most `connections` connections', async () => {
    const smtp = await startSmtp();
    const transport = smtpTransport(smtp.url, { connections: 3, idleMs: 0 });
    try {
      await Promise.all(Array.from({ length: 12 }, (_, i) => transport.send(mail(i))));
      expect(smtp.messages).toHaveLength(12);
      expect(smtp.connectionsOpened()).toBeLessThanOrEqual(3);
    } finally {
      transport.close();
      await smtp.close();
    }
  });

  it('fails a send to a server that is not there, and works once it is', async () => {
    const gone = await startSmtp();
    const port = gone.port;
    await gone.close();
    const transport = smtpTransport(`smtp://127.0.0.1:${port}`, { idleMs: 0 });
    let back: Awaited<ReturnType<typeof startSmtp>> | null = null;
    try {
      await expect(transport.send(mail(1))).rejects.toThrow(/ECONNREFUSED|connect/i);
      back = await startSmtp(port);
      await transport.send(mail(2));
      expect(back.messages.map((m) => m.messageId)).toEqual(['<msg2@roster>']);
    } finally {
      transport.close();
      await back?.close();
    }
  });

  it('keeps no dead connection after refused connects: once the server is back every send goes through', async () => {
    const first = await startSmtp();
    const port = first.port;
    const transport = smtpTransport(first.url, { connections: 3, idleMs: 60_000 });
    let back: Awaited<ReturnType<typeof startSmtp>> | null = null;
    try {
      await transport.send(mail(0)); // a live pooled connection, as while mail flows
      transport.close();
      await first.close();
      // More refused connects than the pool has slots: each must free its slot, not keep it.
      const refused = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => transport.send(mail(100 + i))));
      expect(refused.every((r) => r.status === 'rejected' && /ECONNREFUSED/.test(String(r.reason)))).toBe(true);

      back = await startSmtp(port);
      // Before the fix these sends waited for a free slot forever (the test timed out).
      await Promise.all(Array.from({ length: 6 }, (_, i) => transport.send(mail(200 + i))));
      expect(back.messages.map((m) => m.messageId).sort()).toEqual(
        Array.from({ length: 6 }, (_, i) => `<msg${200 + i}@roster>`).sort(),
      );
    } finally {
      transport.close();
      await back?.close();
    }
  }, 15_000);

  it('marks a 5xx answer to RCPT TO as permanent, with the server’s text, and a 4xx as temporary', async () => {
    const smtp = await startSmtp(0, {
      refuseRecipient: (address) =>
        address.startsWith('gone')
          ? { code: 550, message: '5.1.1 <gone@example.com>: no such user' }
          : address.startsWith('full')
            ? { code: 450, message: '4.2.2 mailbox full, try later' }
            : null,
    });
    const transport = smtpTransport(smtp.url, { idleMs: 0 });
    try {
      const gone = await transport.send({ ...mail(1), to: 'gone@example.com' }).catch((e: unknown) => e);
      expect(gone).toBeInstanceOf(PermanentMailError);
      expect(String((gone as Error).message)).toBe('RCPT TO refused: 550 5.1.1 <gone@example.com>: no such user');
      const full = await transport.send({ ...mail(2), to: 'full@example.com' }).catch((e: unknown) => e);
      expect(full).toBeInstanceOf(Error);
      expect(full).not.toBeInstanceOf(PermanentMailError);
      expect((full as { responseCode?: number }).responseCode).toBe(450);
      await transport.send(mail(3));
      expect(smtp.messages.map((m) => m.messageId)).toEqual(['<msg3@roster>']);
    } finally {
      transport.close();
      await smtp.close();
    }
  });
});
