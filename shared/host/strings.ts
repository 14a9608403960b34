import type { AgentState, AwayReason } from '../protocol';
import type { Language } from '../settings';

/** Who a ring surface names: the display name, which anyone can choose, and the username, which is unique. */
export interface Caller {
  displayName: string;
  username: string;
}

/**
 * "Display Name (@username)". The display name sits in Unicode isolates (FSI ... PDI) so right-to-left
 * text in it cannot reorder the username; two people with the same display name still read apart.
 */
export function callerLabel(caller: Caller): string {
  return `\u2068${caller.displayName}\u2069 (@${caller.username})`;
}

/**
 * The few texts the host itself shows (tray, notifications, dialogs); the renderer has its
 * own i18next catalogue. English and Simplified Chinese, chosen by the language setting.
 */
const en = {
  appName: 'Softphone',
  statusOnline: 'Online',
  statusInCall: 'In a call',
  statusDnd: 'Do not disturb',
  statusReconnecting: 'Reconnecting…',
  statusOffline: 'Offline',
  statusSignedOut: 'Signed out',
  ringing: (caller: Caller) => `Incoming call from ${callerLabel(caller)}`,
  incomingAudio: 'Audio call',
  incomingVideo: 'Video call',
  answer: 'Answer',
  answerVideo: 'Answer with video',
  decline: 'Decline',
  missedOne: (caller: Caller) => `Missed call from ${callerLabel(caller)}`,
  missedMany: (count: number) => `${count} missed calls`,
  missedCount: (count: number) => (count === 1 ? '1 missed call' : `${count} missed calls`),
  menuOpen: 'Open Softphone',
  menuDndOn: 'Turn on Do not disturb',
  menuDndOff: 'Turn off Do not disturb',
  menuQuit: 'Quit',
  quitDuringCallTitle: 'End the call and quit?',
  quitDuringCallDetail: 'You are in a call. Quitting hangs it up.',
  quitConfirm: 'End call and quit',
  cancel: 'Cancel',
  agentStates: { available: 'Available', busy: 'In a call', 'wrap-up': 'Wrap-up', away: 'Away', dnd: 'Do not disturb', offline: 'Offline' } as Record<AgentState, string>,
  awayReasons: { break: 'Break', lunch: 'Lunch', training: 'Training', meeting: 'Meeting', other: 'Other', 'missed-offer': 'Missed call' } as Record<AwayReason, string>,
  awayWith: (reason: string) => `Away: ${reason}`,
  menuAgentStatus: 'Agent status',
  menuBackToAvailable: 'Back to available',
  menuFinishWrapUp: 'Finish wrap-up',
  menuFinishWrapUpNeedsOutcome: 'Finish wrap-up (choose an outcome first)',
};

export type HostStrings = typeof en;

const zhCN: HostStrings = {
  appName: '软电话',
  statusOnline: '在线',
  statusInCall: '通话中',
  statusDnd: '勿扰',
  statusReconnecting: '正在重新连接…',
  statusOffline: '离线',
  statusSignedOut: '未登录',
  ringing: (caller) => `${callerLabel(caller)} 来电`,
  incomingAudio: '语音通话',
  incomingVideo: '视频通话',
  answer: '接听',
  answerVideo: '视频接听',
  decline: '拒绝',
  missedOne: (caller) => `${callerLabel(caller)} 的未接来电`,
  missedMany: (count) => `${count} 个未接来电`,
  missedCount: (count) => `${count} 个未接来电`,
  menuOpen: '打开软电话',
  menuDndOn: '开启勿扰',
  menuDndOff: '关闭勿扰',
  menuQuit: '退出',
  quitDuringCallTitle: '结束通话并退出？',
  quitDuringCallDetail: '您正在通话中，退出将挂断通话。',
  quitConfirm: '结束通话并退出',
  cancel: '取消',
  agentStates: { available: '空闲', busy: '通话中', 'wrap-up': '话后处理', away: '离开', dnd: '请勿打扰', offline: '离线' },
  awayReasons: { break: '休息', lunch: '午餐', training: '培训', meeting: '会议', other: '其他', 'missed-offer': '未接来电' },
  awayWith: (reason) => `离开：${reason}`,
  menuAgentStatus: '坐席状态',
  menuBackToAvailable: '恢复空闲',
  menuFinishWrapUp: '完成话后处理',
  menuFinishWrapUpNeedsOutcome: '完成话后处理（请先选择处理结果）',
};

/** Resolves 'system' with the system language tag (zh* -> zh-CN, anything else -> en). */
export function hostStrings(language: Language, systemLanguage = 'en'): HostStrings {
  const chosen = language === 'system' ? (/^zh\b/i.test(systemLanguage) ? 'zh-CN' : 'en') : language;
  return chosen === 'zh-CN' ? zhCN : en;
}
