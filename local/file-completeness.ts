/**
 * Whether a story file in the drop folder looks whole, from the end its format must have: XML closes its root
 * element, JSON parses, ANPA-1312 has its end-of-text character. A file cut short reads as incomplete; the reason
 * says what is missing. Plain text (Dow Jones) has no mark at its start that promises an end: for it, and as the
 * first line of defence for every format, the folder relies on write-then-rename and on a size that stopped
 * changing.
 */
import { xmlRootName } from '../functions/core/stories/detect.ts';

/** Undefined when the file looks complete, else what is missing. Reads the bytes as UTF-8 or Latin-1 text. */
export function incompleteBecause(bytes: Uint8Array): string | undefined {
  const text = Buffer.from(bytes)
    .toString('latin1')
    .replace(/^\uFEFF|^\xEF\xBB\xBF/, '');
  const start = text.trimStart();
  if (start.startsWith('<')) {
    const root = xmlRootName(start);
    if (root === undefined) return 'XML without a root element';
    const end = start.trimEnd();
    const lastTag = end.lastIndexOf('<');
    const closing = /^<\/(?:[\w.-]+:)?([\w.-]+)\s*>$/.exec(end.slice(lastTag));
    const selfClosed = lastTag === start.indexOf(`<${root}`) && end.endsWith('/>');
    if (closing?.[1] === root || selfClosed) return undefined;
    return `XML root <${root}> is not closed`;
  }
  if (start.startsWith('{') || start.startsWith('[')) {
    try {
      JSON.parse(
        Buffer.from(bytes)
          .toString('utf8')
          .replace(/^\uFEFF/, ''),
      );
      return undefined;
    } catch {
      return 'JSON that does not parse (cut short?)';
    }
  }
  if (start.startsWith('\x16') || start.startsWith('\x01')) {
    return text.includes('\x03') ? undefined : 'ANPA-1312 without its end-of-text (ETX) character';
  }
  return undefined;
}
