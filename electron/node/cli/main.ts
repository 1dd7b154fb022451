/** The `tapedeck` command line (README.md "Command line"): plain Node, no Electron. */
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

type Command = (argv: string[]) => Promise<number>;

/**
 * Each command's code is loaded only when it runs: loading all of them (PostgreSQL's client, the
 * Parquet writer, the HTTP client, the web server) took about half of every start.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  sim: () => import('./commands/sim.js').then((m) => m.simCommand),
  record: () => import('./commands/record.js').then((m) => m.recordCommand),
  login: () => import('./commands/login.js').then((m) => m.loginCommand),
  export: () => import('./commands/export.js').then((m) => m.exportCommand),
  replay: () => import('./commands/replay.js').then((m) => m.replayCommand),
  serve: () => import('./commands/serve.js').then((m) => m.serveCommand),
  ship: () => import('./commands/ship.js').then((m) => m.shipCommand),
};

/** The command being run, once known: error lines name it. */
let commandName: string | null = null;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name === undefined ? 2 : 0;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) throw new UsageError(`unknown command '${name}' (one of ${Object.keys(COMMANDS).join(', ')})`);
  commandName = name;
  return (await load())(rest);
}

/** Exits once everything written to stdout and stderr has been flushed (pipes are asynchronous). */
function exitAfterFlush(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

main(process.argv.slice(2)).then(exitAfterFlush, (err: unknown) => {
  process.stderr.write(formatError(commandName, err) + '\n');
  exitAfterFlush(exitCodeOf(err));
});
