// `npm start`'s first step: makes sure the two things only the desktop app needs are there before
// it is built and launched — the Electron binary, and better-sqlite3 built for Electron's ABI
// (built here once, into .tapedeck-native/). When either cannot be had it prints one short
// paragraph — what is missing, how to get it, and that browser mode runs the same app now — and
// exits 1. The build tools' log is shown only with TAPEDECK_DEBUG=1.
import { existsSync } from 'node:fs';
import { buildElectronSqlite, electronSqlitePath } from './ensure-electron-native.mjs';
import { electronRuntime, pinnedElectronVersion } from './electron-runtime.mjs';

const debug = process.env.TAPEDECK_DEBUG === '1';
const mirror = 'where GitHub (Electron\'s download server) can be reached, or with ELECTRON_MIRROR set to a mirror';

function cannotStart(missing, howToGetIt) {
  const text = `tapedeck: the desktop app cannot start: ${missing}. ${howToGetIt} The same app runs in a browser right now: \`npx tapedeck serve\`, then open the address it prints.`;
  // One paragraph, wrapped for a terminal.
  const lines = [''];
  for (const word of text.match(/`[^`]*`\S*|\S+/g)) {
    const last = lines.length - 1;
    if (lines[last] && lines[last].length + word.length >= 90) lines.push(word);
    else lines[last] = lines[last] ? `${lines[last]} ${word}` : word;
  }
  console.error(lines.join('\n'));
  process.exit(1);
}

const electron = electronRuntime();
if (!electron.version) {
  cannotStart(
    `Electron ${pinnedElectronVersion}, its runtime, is not installed (npm leaves it out when its download fails)`,
    `To get it, run \`npm install\` ${mirror}, then \`npm start\` again.`,
  );
}
if (!electron.binary) {
  cannotStart(
    `Electron ${electron.version}'s binary was not downloaded when npm installed it`,
    `To get it, run \`npm rebuild electron\` ${mirror}, then \`npm start\` again.`,
  );
}

const arch = process.env.npm_config_arch || process.arch;
if (!existsSync(electronSqlitePath(electron.version, arch))) {
  console.log(`tapedeck: building better-sqlite3 for Electron ${electron.version} (${arch}), once; this takes about a minute…`);
  const result = await buildElectronSqlite(electron.version, arch, { echo: debug });
  if (!result.ok) {
    const log = debug ? '' : ' (`TAPEDECK_DEBUG=1 npm start` shows the build log)';
    if (result.cause === 'download') {
      cannotStart(
        `better-sqlite3 has no build for Electron ${electron.version} yet, and neither a prebuilt one nor Electron's headers to compile it could be downloaded`,
        `To get it, run \`npm start\` once with a network connection: it downloads one of them and keeps the result in .tapedeck-native/${log}.`,
      );
    }
    cannotStart(
      `better-sqlite3 could not be compiled for Electron ${electron.version}`,
      `Compiling it needs Python 3, make and a C++ compiler (on Debian: apt-get install python3 make g++); install them and run \`npm start\` again${log}.`,
    );
  }
  console.log(`tapedeck: Electron's SQLite module is ready (${result.target})`);
}
