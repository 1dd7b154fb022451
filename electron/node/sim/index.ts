/** The broker simulator (`tapedeck sim`, demo mode, tests): see server.ts for the options and handle. */
export { startSimulator, type SimHandle, type SimOptions, type SimStats } from './server.js';
export { parseFault, FAULT_NAMES, type FaultName, type FaultSpec } from './faults.js';
export { isMarketOverride, MARKET_OVERRIDES, parseSymbolList } from './conditions.js';
export type { CommandRecord } from './sim-connection.js';
