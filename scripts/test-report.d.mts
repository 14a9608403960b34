export interface ReportCount {
  passed: number;
  failed: number;
  skipped: number;
  failedNames: string[];
}
export function countReport(report: { kind: 'vitest' | 'playwright'; file: string }): ReportCount | undefined;
