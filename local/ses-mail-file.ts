/**
 * Keeps the SES stand-in's mail across restarts: aws-ses-v2-local holds sent mail in a module-level array only,
 * so each mail it saves is also appended to `<dataDir>/ses-mail.jsonl`, and a start loads that file back.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

interface SesStoreModule {
  saveEmail: (email: { messageId: string }) => void;
  getStoreReadonly: () => { emails: { messageId: string }[] };
}

/** The file mail is written to now (the last stack started with a data folder in this process). */
let currentFile: string | undefined;
let installed = false;

/** Loads `file` into the SES store and appends every mail sent from now on; the returned function stops that. */
export function keepMailIn(file: string): () => void {
  const require = createRequire(import.meta.url);
  const store = require('aws-ses-v2-local/dist/store.js') as SesStoreModule;
  if (typeof store.saveEmail !== 'function' || typeof store.getStoreReadonly !== 'function') {
    throw new Error('aws-ses-v2-local/dist/store.js has no saveEmail; is the installed version 2.x?');
  }
  const emails = store.getStoreReadonly().emails;
  const known = new Set(emails.map((email) => email.messageId));
  for (const email of readMailFile(file)) if (!known.has(email.messageId)) emails.push(email);
  if (!installed) {
    // Its handlers call `store_1.saveEmail(...)` through the exports object, so replacing the export is enough.
    const save = store.saveEmail;
    store.saveEmail = (email) => {
      save(email);
      if (currentFile !== undefined) appendFileSync(currentFile, `${JSON.stringify(email)}\n`);
    };
    installed = true;
  }
  currentFile = file;
  return () => {
    if (currentFile === file) currentFile = undefined;
  };
}

function readMailFile(file: string): { messageId: string }[] {
  if (!existsSync(file)) return [];
  const mails: { messageId: string }[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const mail = JSON.parse(line) as { messageId?: unknown };
      if (typeof mail.messageId === 'string') mails.push(mail as { messageId: string });
    } catch {
      // A line cut short by a crash mid-write: the mails before and after it still load.
    }
  }
  return mails;
}
