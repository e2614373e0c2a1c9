import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { errorMessage } from '../core/describe-error.ts';
import { MAX_STORY_BYTES } from '../core/stories/errors.ts';

/**
 * A story file's bytes, or the one-line reason it cannot be read (the `parse` and `match` commands).
 * Read synchronously with one open, stat, read and close: `match` reads thousands of small files one after
 * another, and each promise-based step cost more CPU than the read itself.
 */
export async function readStoryFile(file: string): Promise<Uint8Array | string> {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const info = fstatSync(fd);
    if (info.isDirectory()) return 'is a directory; give story files';
    if (info.size > MAX_STORY_BYTES) {
      return `story is ${info.size} bytes, over the ${MAX_STORY_BYTES}-byte limit (1 MiB, the SQS message limit)`;
    }
    return readFileSync(fd);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOENT') return 'no such file';
    if (code === 'EISDIR') return 'is a directory; give story files';
    if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
    return errorMessage(error);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
