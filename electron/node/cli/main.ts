/** The `tapedeck` command line (README.md "Command line"): plain Node, no Electron. */
import { exportCommand } from './commands/export.js';
import { loginCommand } from './commands/login.js';
import { recordCommand } from './commands/record.js';
import { replayCommand } from './commands/replay.js';
import { serveCommand } from './commands/serve.js';
import { shipCommand } from './commands/ship.js';
import { simCommand } from './commands/sim.js';
import { exitCodeOf, formatError, UsageError } from './errors.js';

const USAGE = `usage: tapedeck <command> [flags]

commands:
  sim      run the broker simulator (OAuth pages, token endpoint, streamer; both dialects)
  record   stream and record into a SQLite file (demo data by default)
  login    sign in to schwab or tdameritrade and save the token file
  export   copy the database consistently while recording, or write a table as CSV
  replay   replay recorded frames (NDJSON on stdout, or rebuild into a new database)
  serve    the Tapedeck UI in a browser on 127.0.0.1 (per-launch secret)
  ship     copy a recorded file's rows into PostgreSQL (resumable, exactly once)

'tapedeck <command> --help' describes each command's flags.`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  sim: simCommand,
  record: recordCommand,
  login: loginCommand,
  export: exportCommand,
  replay: replayCommand,
  serve: serveCommand,
  ship: shipCommand,
};

/** The command being run, once known: error lines name it. */
let commandName: string | null = null;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) throw new UsageError(`unknown command '${name}' (one of ${Object.keys(COMMANDS).join(', ')})`);
  commandName = name;
  return command(rest);
}

/** Exits once everything written to stdout and stderr has been flushed (pipes are asynchronous). */
function exitAfterFlush(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

main(process.argv.slice(2)).then(exitAfterFlush, (err: unknown) => {
  process.stderr.write(formatError(commandName, err) + '\n');
  exitAfterFlush(exitCodeOf(err));
});
