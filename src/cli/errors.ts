// The two kinds of failure the CLI reports itself, besides the library's FactorisationError:
// a command line it cannot make sense of (exit 2) and an input it cannot read (exit 1).

/** A command line the CLI cannot run: unknown command or option, missing FILE, malformed value. Exit code 2. */
export class UsageError extends Error {
  /** The command whose --help the report points to (`sgd`, …); undefined points to `lowrank --help`. */
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super(message);
    this.name = "UsageError";
    this.command = command;
  }
}

/** A FILE (or stdin, or --out DIR) that cannot be read, parsed or written. Exit code 1. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

/** Exit code for a usage error. */
export const EXIT_USAGE = 2;
/** Exit code for a data or computation error. */
export const EXIT_FAILURE = 1;

/** Why a file operation failed, in a few words (`no such file or directory`, `permission denied`, …). */
export function fsReason(error: unknown): string {
  switch ((error as { code?: string }).code) {
    case "ENOENT": return "no such file or directory";
    case "EISDIR": return "it is a directory";
    case "ENOTDIR": return "a part of the path is not a directory";
    case "EEXIST": return "a file of that name is in the way";
    case "EACCES":
    case "EPERM": return "permission denied";
    default: return error instanceof Error ? error.message.split("\n")[0] : String(error);
  }
}
