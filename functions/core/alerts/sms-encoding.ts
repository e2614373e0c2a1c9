/**
 * How much text one SMS segment holds. A message that uses only the GSM 03.38 alphabet is sent as GSM-7
 * (160 septets; the extension characters take two); any other character makes the whole message UCS-2
 * (70 UTF-16 units). Wirewatch also keeps every SMS within 140 bytes of UTF-8, the SNS segment size.
 */

/** GSM 03.38 basic character set (one septet each). */
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
/** GSM 03.38 extension table (escape + character: two septets each). */
const GSM_EXTENSION = new Set('^{}\\[~]|€\f');

export const SMS_SEGMENT_BYTES = 140;
const GSM7_SEPTETS = 160;
const UCS2_UNITS = 70;

/** Septets the text takes in GSM-7, or undefined when it needs UCS-2. */
export function gsm7Septets(text: string): number | undefined {
  let septets = 0;
  for (const character of text) {
    if (GSM_BASIC.has(character)) septets += 1;
    else if (GSM_EXTENSION.has(character)) septets += 2;
    else return undefined;
  }
  return septets;
}

/** True when the text fits one SMS segment in the encoding it would be sent in, and in 140 bytes of UTF-8. */
export function fitsOneSegment(text: string): boolean {
  if (Buffer.byteLength(text, 'utf8') > SMS_SEGMENT_BYTES) return false;
  const septets = gsm7Septets(text);
  return septets === undefined ? text.length <= UCS2_UNITS : septets <= GSM7_SEPTETS;
}

/** Typographic characters with a GSM-7 stand-in, so that one curly quote does not halve the message. */
const GSM_FRIENDLY: Readonly<Record<string, string>> = {
  '‘': "'",
  '’': "'",
  '‚': "'",
  '′': "'",
  '“': '"',
  '”': '"',
  '„': '"',
  '″': '"',
  '–': '-',
  '—': '-',
  '‐': '-',
  '‑': '-',
  '−': '-',
  '…': '...',
  '\u00a0': ' ',
  '`': "'",
};

export function toGsmFriendly(text: string): string {
  return text.replace(/[‘’‚′“”„″–—‐‑−…\u00a0`]/g, (character) => GSM_FRIENDLY[character] ?? character);
}
