import type { LineOfferResults } from './results';

/** Report section 11: a line's offer to its first agent device, against a direct call (issue 14). */

const ms = (value: number) => (Number.isFinite(value) ? `${value < 10 ? value.toFixed(2) : value.toFixed(0)} ms` : 'n/a');
const x = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a');
const table = (header: string[], rows: string[][]) => [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');

export function lineOfferSection(result: LineOfferResults): string {
  const { direct } = result;
  return [
    '## 11. Line offer (service lines)',
    '',
    `Invite → the first agent device's \`call:incoming\`, on a line of ${result.agents} members, each with one connected device (the bare wire protocol, all in the bench process) and available; the baseline is a direct call on the same server (invite → the callee's \`call:incoming\`). The server is the compiled bundle with its defaults (SQLite, log level info). The three kinds take turns; every call is cancelled, and the next starts once every offered device heard the end and every agent is free of the offer again (\`agent:status\`), so each sample meets an idle line. No target: the ratio says what a line costs over a direct call.`,
    '',
    table(
      ['call to', 'p50', 'p99', 'mean', 'samples', 'p50 ÷ direct', 'p99 ÷ direct'],
      [
        ['a user (direct call: baseline)', ms(direct.p50), ms(direct.p99), ms(direct.mean), String(direct.count), '1.00×', '1.00×'],
        ...result.strategies.map((s) => [`a line, ${s.strategy} (${s.strategy === 'ring-all' ? `all ${result.agents} agents ring` : 'one agent rings'})`, ms(s.line.p50), ms(s.line.p99), ms(s.line.mean), String(s.line.count), `**${x(s.p50Ratio)}**`, `**${x(s.p99Ratio)}**`]),
      ],
    ),
  ].join('\n');
}
