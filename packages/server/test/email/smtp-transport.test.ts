import { describe, expect, it, vi } from 'vitest';
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
});
