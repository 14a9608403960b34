export * from './types';
export { TRANSITIONS, REJECT_END_REASON } from './table';
export type { TransitionTable, PhaseRow } from './table';
export { transition, idleCall, illegalReason, isLegal, toView } from './model';
