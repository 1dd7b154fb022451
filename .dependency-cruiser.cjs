// Import boundaries: the folder a file lives in says which runtime it needs (see docs/ARCHITECTURE.md).
//   shared/          runs anywhere: no Node, no DOM, no Electron; imports only shared/ and pure packages
//   electron/node/   plain Node: never Electron, never the renderer
//   electron/main/, electron/preload/   the Electron shell: the only files that import 'electron'
//   renderer/        browser only: no Node built-ins, no Electron, no electron/ code
// `npm test` runs `npm run lint:boundaries`, so crossing a line fails CI.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'shared-runs-anywhere',
      comment: 'shared/ is imported by Node and the browser alike: it may import only shared/ and pure packages.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { pathNot: ['^shared/', '^node_modules/valibot/'] },
    },
    {
      name: 'shared-no-builtins',
      severity: 'error',
      from: { path: '^shared/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'only-the-shell-imports-electron',
      comment: "Only electron/main/ and electron/preload/ may import 'electron'; everything else runs under plain Node or in a browser.",
      severity: 'error',
      from: { pathNot: '^electron/(main|preload)/' },
      to: { path: '^node_modules/electron/' },
    },
    {
      name: 'node-stays-out-of-the-shell-and-renderer',
      severity: 'error',
      from: { path: '^electron/node/' },
      to: { path: '^(electron/(main|preload)|renderer)/' },
    },
    {
      name: 'preload-exposes-only-the-contract',
      severity: 'error',
      from: { path: '^electron/preload/' },
      to: { pathNot: ['^shared/', '^node_modules/electron/'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'renderer-is-browser-only',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^(electron|tests|bench|scripts)/' },
    },
    {
      name: 'renderer-no-builtins',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'simulator-is-self-contained',
      comment: 'The simulator is one module: it imports only shared/ and its own files; others use its index.',
      severity: 'error',
      from: { path: '^electron/node/sim/' },
      to: { path: '^electron/node/(?!sim/)' },
    },
    {
      name: 'simulator-through-its-index',
      severity: 'error',
      from: { path: '^(electron|renderer|shared)/', pathNot: '^electron/node/sim/' },
      to: { path: '^electron/node/sim/', pathNot: '^electron/node/sim/index\\.ts$' },
    },
    {
      name: 'product-code-never-imports-tests',
      severity: 'error',
      from: { path: '^(electron|renderer|shared)/' },
      to: { path: '^(tests|bench|scripts)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
  },
};
