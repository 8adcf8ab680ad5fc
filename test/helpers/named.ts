// Everything an integration test needs to drive a real named: import from here.
export { startNamed, logTail } from './named-process';
export type { NamedProcess, StartNamedOptions } from './named-process';
export { dig, digAnswers, digStatus } from './dig';
export type { DigAnswer, DigRecord } from './dig';
export { startMasterNamed } from './master-named';
export type { MasterOptions, MasterServer, MasterZone } from './master-named';
export { waitFor } from './wait-for';
export type { WaitForOptions } from './wait-for';
