/** One end-to-end run in its own process: node --import tsx --import ./tests/helpers/tsx-workers.ts bench/e2e-receiver.ts DB UPDATES SEED RATE. */
import { endToEndRun } from './stages.js';

const [dbPath, updates, seed, rate] = process.argv.slice(2);
const result = await endToEndRun(dbPath!, Number(updates), Number(seed), Number(rate));
console.log(JSON.stringify(result));
process.exit(0);
