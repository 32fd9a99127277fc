import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../../config.js';
import type { Logger } from '../../server/logger.js';

/** One email: plain text always, HTML optional; `headers` e.g. List-Unsubscribe. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
}

const mailers = new WeakMap<Config, Mailer>();
const DEFAULT_MAIL_DIR = fileURLToPath(new URL('../../../../.data/mail', import.meta.url));

/**
 * Email goes through nodemailer to SMTP_URL. Without it each message is written to MAIL_DIR (default <repo>/.data/mail)
 * as an .eml file (open it in any mail program) and a log line says where; under NODE_ENV=test, without MAIL_DIR, it is
 * only logged.
 */
export function mailerFor(config: Config, log: Logger): Mailer {
  let mailer = mailers.get(config);
  if (!mailer) {
    mailer = config.SMTP_URL ? smtpMailer(config) : fileMailer(config, log);
    mailers.set(config, mailer);
  }
  return mailer;
}

function smtpMailer(config: Config): Mailer {
  const transport: Transporter = nodemailer.createTransport(config.SMTP_URL!, { from: config.MAIL_FROM });
  return {
    async send(mail) {
      await transport.sendMail({ from: config.MAIL_FROM, ...mail });
    },
  };
}

function fileMailer(config: Config, log: Logger): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  let folder: Promise<unknown> | null = null; // made once, on the first email
  return {
    async send(mail) {
      const info = await transport.sendMail({ from: config.MAIL_FROM, ...mail });
      const dir = config.MAIL_DIR ?? (config.NODE_ENV === 'test' ? null : DEFAULT_MAIL_DIR);
      if (!dir) {
        log.debug({ to: mail.to, subject: mail.subject }, 'email not sent (no SMTP_URL)');
        return;
      }
      folder ??= mkdir(dir, { recursive: true }).catch((error) => {
        folder = null;
        throw error;
      });
      await folder;
      const safeTo = mail.to.replace(/[^a-z0-9@._-]/gi, '_');
      const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${safeTo}.eml`);
      // Written aside, then renamed: whoever watches the folder only ever sees whole messages.
      try {
        await writeFile(`${file}.part`, info.message as Buffer);
        await rename(`${file}.part`, file);
      } catch (error) {
        folder = null; // e.g. the folder was removed: made again on the retry
        throw error;
      }
      log.info({ to: mail.to, subject: mail.subject, file }, 'email written to a file (SMTP_URL is not set)');
    },
  };
}
