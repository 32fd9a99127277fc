import { fileURLToPath } from 'node:url';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../../config.js';
import type { Logger } from '../../server/logger.js';
import { writeEml } from './mail-writer.js';

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
 * as an .eml file (open it in any mail program), on a thread of its own (mail-writer.ts), and a log line says where;
 * under NODE_ENV=test, without MAIL_DIR, it is only logged.
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
  const dir = config.MAIL_DIR ?? (config.NODE_ENV === 'test' ? null : DEFAULT_MAIL_DIR);
  return {
    async send(mail) {
      if (!dir) {
        log.debug({ to: mail.to, subject: mail.subject }, 'email not sent (no SMTP_URL)');
        return;
      }
      const file = await writeEml(dir, { from: config.MAIL_FROM, ...mail });
      log.info({ to: mail.to, subject: mail.subject, file }, 'email written to a file (SMTP_URL is not set)');
    },
  };
}
