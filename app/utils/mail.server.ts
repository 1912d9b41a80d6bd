// Outgoing mail behind one small interface. The only transport today writes each message as an
// .eml file into MAIL_DIR (default .data/mail): open it with any mail client or a text editor.
// The log line names the kind of mail and the file, never the address or a link (they carry tokens).
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { getEnv } from "./env.server";
import { log } from "./logger.server";

export type MailKind = "invite" | "password-reset" | "password-changed";

export interface MailMessage {
  kind: MailKind;
  to: string;
  subject: string;
  text: string;
}

export interface MailTransport {
  name: string;
  send(message: MailMessage, meta: { requestId?: string }): Promise<void>;
}

function encodeHeader(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : `=?UTF-8?B?${Buffer.from(value, "utf8").toString("base64")}?=`;
}

function encodeFrom(from: string): string {
  const match = /^(.*)<([^>]+)>\s*$/.exec(from);
  return match ? `${encodeHeader(match[1].trim())} <${match[2]}>` : from;
}

/** An RFC 5322 message with a UTF-8 body in base64 (safe for any line length or character). */
export function formatEml(message: MailMessage, from: string, date: Date): string {
  const body = Buffer.from(message.text.replace(/\r?\n/g, "\r\n"), "utf8").toString("base64").replace(/.{76}/g, "$&\r\n");
  return [
    `From: ${encodeFrom(from)}`,
    `To: ${message.to}`,
    `Subject: ${encodeHeader(message.subject)}`,
    `Date: ${date.toUTCString()}`,
    `Message-ID: <${crypto.randomUUID()}@chiiki-portal>`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=UTF-8",
    "Content-Transfer-Encoding: base64",
    `X-Portal-Mail-Kind: ${message.kind}`,
    "",
    body,
    "",
  ].join("\r\n");
}

export function fileTransport(directory: string, from: string): MailTransport {
  return {
    name: "file",
    async send(message, meta) {
      await fs.mkdir(directory, { recursive: true, mode: 0o700 });
      const now = new Date();
      const file = `${now.toISOString().replace(/[:.]/g, "-")}-${message.kind}-${crypto.randomBytes(4).toString("hex")}.eml`;
      // 0600: the file holds a live invite or reset link.
      await fs.writeFile(path.join(directory, file), formatEml(message, from, now), { mode: 0o600 });
      log("info", "mail.sent", { transport: "file", kind: message.kind, file, requestId: meta.requestId });
    },
  };
}

let override: MailTransport | undefined;

export function getMailTransport(): MailTransport {
  if (override) return override;
  const env = getEnv();
  const directory = path.resolve(env.MAIL_DIR ?? path.join(process.cwd(), ".data", "mail"));
  return fileTransport(directory, env.MAIL_FROM);
}

/** Tests capture mail in memory; pass undefined to restore the configured transport. */
export function setMailTransport(transport: MailTransport | undefined): void {
  override = transport;
}

/** Reads the text body back from an .eml written by the file transport (tests and the journey). */
export function readEmlBody(eml: string): string {
  const [, body = ""] = eml.split("\r\n\r\n");
  return Buffer.from(body.replace(/\r\n/g, ""), "base64").toString("utf8");
}
