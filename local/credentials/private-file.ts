import { closeSync, constants, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";

/**
 * Writes `content` to `file` so that no other user can read it at any moment, and a reader sees the
 * old file or the whole new one, never a part:
 * - a temp file in the same folder is created with `O_CREAT | O_EXCL | O_NOFOLLOW` and mode 0600,
 *   so it is private from its first byte (no write-then-chmod window) and never an existing file
 *   or a symlink someone planted there;
 * - `rename` then replaces `file` itself: a symlink at `file` is replaced, not followed.
 */
export function writePrivateFile(file: string, content: string): void {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  const fd = openSync(temp, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW, 0o600);
  try {
    try {
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
