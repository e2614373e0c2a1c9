/** Streams a command writes to; tests pass their own. */
export interface CommandIo {
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
  /**
   * UTF-8 for stdout in large chunks (a chunk may end inside a line), for commands with bulk output; a
   * returned promise asks the command to wait before writing more. Without it they write through `stdout`.
   */
  readonly writeStdout?: (bytes: Uint8Array) => Promise<void> | undefined;
}

/** One CLI command: takes its arguments (after the command name), returns the exit status. */
export interface Command {
  readonly summary: string;
  readonly usage: string;
  run(args: readonly string[], io: CommandIo): Promise<number>;
}
