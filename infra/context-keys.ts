/**
 * The CDK context keys Wirewatch reads, and the check that refuses any other plain key: a misspelt setting
 * (`senderAdress`) would otherwise be ignored in silence and its default deployed.
 */

/** Every setting, in the order infra/README.md lists them. */
export const SETTING_KEYS = [
  'senderAddress',
  'sesIdentity',
  'sesSandbox',
  'allowPlaceholderSender',
  'allowedSmsCountries',
  'smsOriginationIdentity',
  'opsEmail',
  'publicBaseUrl',
  'signUp',
  'userPoolTier',
  'signInDomainPrefix',
  'retainData',
  'logRetentionDays',
  'matcherMemoryMb',
] as const;

export type SettingKey = (typeof SETTING_KEYS)[number];

/**
 * Keys that are settings-shaped (letters and digits, starting with a lower-case letter) but unknown. CDK's own
 * context (feature flags `@aws-cdk/...`, `aws:cdk:...`, lookups `availability-zones:...`,
 * `acknowledged-issue-numbers`) always holds `@`, `:`, `/` or `-`, so it is never mistaken for a setting.
 */
export function unknownSettingKeys(keys: Iterable<string>): string[] {
  const known = new Set<string>(SETTING_KEYS);
  return [...keys].filter((key) => /^[a-z][A-Za-z0-9]*$/.test(key) && !known.has(key));
}

/** The known key closest to `key` (case-insensitive edit distance), when it is close enough to be a typo. */
export function closestSettingKey(key: string): SettingKey | undefined {
  let best: { key: SettingKey; distance: number } | undefined;
  for (const candidate of SETTING_KEYS) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (best === undefined || distance < best.distance) best = { key: candidate, distance };
  }
  if (best === undefined) return undefined;
  return best.distance <= Math.max(2, Math.floor(key.length / 4)) ? best.key : undefined;
}

/** Levenshtein distance with adjacent transpositions counted as one edit (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, at(i - 2, j - 2) + 1);
      }
      d[i * cols + j] = value;
    }
  }
  return at(a.length, b.length);
}
