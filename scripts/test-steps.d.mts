export interface TestStep {
  name: string;
  cmd: string[];
  report?: { kind: 'vitest' | 'playwright'; file: string };
}
/** lint and typecheck, run as the README spells them. */
export const README_CHECKS: TestStep[];
/** Every step of `npm test`, in order. */
declare const steps: TestStep[];
export default steps;
