/**
 * The one way to put anything thrown into a log field or an error text: its message on one line, never a
 * stack for a routine failure.
 */

/** `Name: message`, for logs, where the kind of error matters. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${oneLine(error.message)}` : oneLine(String(error));
}

/** The message alone, on one line, for text shown to a person. */
export function errorMessage(error: unknown): string {
  return oneLine(error instanceof Error ? error.message : String(error));
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}
