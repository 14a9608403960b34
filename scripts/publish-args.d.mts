export function publishArgs(updateUrl: string | undefined): string[];
