/**
 * The soak in a process of its own, so the RSS it reports is the engine's and the recorder's
 * alone, not the benchmark's corpora: node --import tsx --import ./tests/helpers/tsx-workers.ts bench/soak-process.ts DIR SECONDS.
 * Progress lines go to stderr; the result rows, as JSON, are the last line on stdout.
 */
import { soakStage } from './soak-stage.js';

const [dir, seconds] = process.argv.slice(2);
const rows = await soakStage(dir!, Number(seconds), (line) => process.stderr.write(`${line}\n`));
console.log(JSON.stringify(rows));
process.exit(0);
