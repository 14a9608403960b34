import type { NotificationConstructorOptions } from 'electron';
import type { RingInstruction } from '../../../shared/bridge';
import type { HostStrings } from '../../../shared/host';
import type { CallView } from '../../../shared/phone';

/** Answer/Decline from a Windows toast arrive as this protocol link (see notification-actions.ts). */
export function toastActionLink(nonce: string, action: 'answer' | 'decline' | 'open'): string {
  return `softphone://notification/${nonce}/${action}`;
}

function xmlEscape(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/**
 * Windows toast XML for an incoming call. Buttons use protocol activation: unpackaged (non-MSIX)
 * Windows apps do not receive Notification 'action' events (electron/electron#51147), but a
 * protocol activation reaches the running instance through the single-instance lock.
 * scenario="incomingCall" keeps the toast on screen with call-style buttons.
 */
export function incomingToastXml(call: CallView, strings: HostStrings, nonce: string): string {
  const title = xmlEscape(strings.ringing(call.peer));
  const body = xmlEscape(call.media === 'video' ? strings.incomingVideo : strings.incomingAudio);
  return [
    `<toast scenario="incomingCall" activationType="protocol" launch="${xmlEscape(toastActionLink(nonce, 'open'))}">`,
    `<visual><binding template="ToastGeneric"><text>${title}</text><text>${body}</text></binding></visual>`,
    '<actions>',
    `<action content="${xmlEscape(strings.answer)}" activationType="protocol" arguments="${xmlEscape(toastActionLink(nonce, 'answer'))}"/>`,
    `<action content="${xmlEscape(strings.decline)}" activationType="protocol" arguments="${xmlEscape(toastActionLink(nonce, 'decline'))}"/>`,
    '</actions>',
    '<audio silent="true"/>',
    '</toast>',
  ].join('');
}

/** Action index -> what it does, in the order incomingNotificationOptions lists them (macOS). */
export const MAC_ACTIONS = ['answer', 'decline'] as const;

/**
 * The incoming-call notification. Silent: the ringtone plays on the chosen ringer device from
 * the incoming window, so the OS sound would be a second, unrouted ring.
 */
export function incomingNotificationOptions(call: CallView, ring: RingInstruction, strings: HostStrings, platform: string, nonce: string): NotificationConstructorOptions {
  const options: NotificationConstructorOptions = {
    title: strings.ringing(call.peer),
    body: call.media === 'video' ? strings.incomingVideo : strings.incomingAudio,
    silent: true,
    urgency: ring.silent ? 'normal' : 'critical',
    timeoutType: 'never',
  };
  if (platform === 'darwin') {
    options.actions = MAC_ACTIONS.map((action) => ({ type: 'button' as const, text: action === 'answer' ? strings.answer : strings.decline }));
  }
  if (platform === 'win32') options.toastXml = incomingToastXml(call, strings, nonce);
  return options;
}
