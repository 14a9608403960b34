import type { SoftphoneBridge, ScreenSource } from '../../../shared/bridge';
import { unwrap } from '../../../shared/bridge';

/** Browser screen sharing: the browser's own picker. */
export async function captureDisplay(): Promise<MediaStreamTrack> {
  const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
  return stream.getVideoTracks()[0]!;
}

/** Electron: the sources desktopCapturer lists, through the bridge. */
export async function listScreenSources(bridge: SoftphoneBridge): Promise<ScreenSource[]> {
  return unwrap(await bridge.invoke('screen.sources', { types: ['screen', 'window'] })).sources;
}

/** Electron: capture one desktopCapturer source (Chromium's desktop capture constraints). */
export async function captureSource(sourceId: string): Promise<MediaStreamTrack> {
  const constraints = { audio: false, video: { mandatory: { chromeMediaSource: 'desktop', chromeMediaSourceId: sourceId } } } as unknown as MediaStreamConstraints;
  const stream = await navigator.mediaDevices.getUserMedia(constraints);
  return stream.getVideoTracks()[0]!;
}
