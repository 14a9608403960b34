import type { TransferCompleteResults } from './results';
import { ratio } from './stats';

const ms = (value: number) => (Number.isFinite(value) ? `${value < 10 ? value.toFixed(2) : value.toFixed(0)} ms` : 'n/a');
const x = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a');
const table = (header: string[], rows: string[][]) => [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');

/** Section 10: consult transfer Complete -> the customer <-> expert media connected. */
export function transferCompleteSection(t: TransferCompleteResults): string {
  const p50 = ratio(t.transfer.p50, t.direct.p50);
  const p90 = ratio(t.transfer.p90, t.direct.p90);
  return [
    '## 10. Transfer: Complete → customer ↔ expert media',
    '',
    `A consult transfer in three pages (customer, agent, expert) of one headless Chromium, each a PhoneCore on our server with simple-peer and the fake microphone: the customer calls the agent, the agent consults the expert (answered, media up), then presses Complete (\`transfer:complete\`). Measured: Complete sent → the new customer ↔ expert call has media both ways, i.e. on both sides the new peer \`connect\`s (ICE and DTLS up) and its first audio RTP packet has arrived (the remote audio track's \`unmute\`, which fires on the first packet). Baseline: a fresh direct call customer → expert in the same run, invite → media both ways by the same rule. Every page answers as soon as a call arrives. ${t.samples} samples of each, alternating; no target was set (issue 15 asks for the figure).`,
    '',
    table(
      ['', 'p50', 'p90', 'p99', 'mean', 'samples'],
      [
        ['direct call: invite → media', ms(t.direct.p50), ms(t.direct.p90), ms(t.direct.p99), ms(t.direct.mean), String(t.direct.count)],
        ['transfer: Complete → media', ms(t.transfer.p50), ms(t.transfer.p90), ms(t.transfer.p99), ms(t.transfer.mean), String(t.transfer.count)],
      ],
    ),
    '',
    `**Complete ÷ direct call: ${x(p50)} at p50, ${x(p90)} at p90** (${t.failures} failed samples)`,
    '',
    `Attribution (p50): Complete → the customer creates its new peer (the server commits the completion and sends \`call:replaced\`) ${ms(t.transferSignalling.p50)}; Complete → both new peers \`connect\` ${ms(t.transferConnect.p50)}; the rest is the first audio packet. The direct call from the expert's answer instead of the invite: ${ms(t.directFromAccept.p50)}.${t.webrtc ? ` WebRTC alone (the customer, who offers in both, creates its peer → both peers \`connect\`): ${ms(t.webrtc.transfer.p50)} after Complete, ${ms(t.webrtc.direct.p50)} in the direct call.` : ''}`,
  ].join('\n');
}
