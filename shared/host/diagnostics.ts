import type { HostInfo } from '../bridge';
import type { Settings } from '../settings';
import type { PhoneSnapshot } from './deps';

/** Removes anything that looks like a secret from free text (log lines). */
export function redactSecrets(text: string): string {
  return text
    .replace(/\beyJ[\w-]+\.[\w-]+\.[\w-]+/g, '[token]')
    .replace(/(bearer\s+)\S+/gi, '$1[token]')
    .replace(/("?(?:password|accessToken|refreshToken|token|secret|credential)"?\s*[:=]\s*)("[^"]*"|\S+)/gi, '$1[redacted]');
}

/** Settings with personal or identifying values reduced to what support needs. */
export function settingsForDiagnostics(settings: Settings): Record<string, unknown> {
  const set = (value: string | null) => (value === null ? 'default' : 'chosen');
  return {
    ...settings,
    devices: { microphone: set(settings.devices.microphoneId), camera: set(settings.devices.cameraId), speaker: set(settings.devices.speakerId) },
    ringerDeviceId: set(settings.ringerDeviceId),
    blocklist: `${settings.blocklist.length} entries`,
  };
}

export interface DiagnosticsInput {
  info: HostInfo;
  settings: Settings;
  snapshot: PhoneSnapshot | null;
  logLines: string[];
  now: Date;
}

/** The "copy diagnostics" text: version, settings without secrets, connection state, recent log lines. */
export function diagnosticsText({ info, settings, snapshot, logLines, now }: DiagnosticsInput): string {
  const connection = snapshot?.connection ?? { status: 'offline', reason: 'signed out', code: null };
  const lines = [
    `Softphone diagnostics ${now.toISOString()}`,
    `Host: ${info.kind} ${info.version} on ${info.platform}`,
    `Connection: ${connection.status}${connection.reason ? ` (${connection.reason})` : ''}${connection.code ? ` [${connection.code}]` : ''}`,
    `Signed in: ${snapshot?.user ? 'yes' : 'no'}; device ${snapshot?.deviceId ?? '-'}; presence ${snapshot?.presence ?? '-'}`,
    `Calls: ${snapshot ? snapshot.calls.map((call) => `${call.direction}/${call.media}/${call.phase}`).join(', ') || 'none' : 'none'}`,
    `Settings: ${JSON.stringify(settingsForDiagnostics(settings))}`,
    `Recent log (${logLines.length} lines):`,
    ...logLines.map(redactSecrets),
  ];
  return lines.join('\n');
}
