export { startSimulator, type SimHandle, type SimOptions, type SimStats } from './server.js';
export { parseFault, FAULT_NAMES, type FaultName, type FaultSpec } from './faults.js';
